/**
 * The `ENC[age,<base64>]` envelope of an encrypted config value: recognising, unwrapping and
 * wrapping it. Pure; no cryptography here.
 */

/** The prefix every age-encrypted value starts with. */
export const AGE_ENVELOPE_PREFIX = 'ENC[age,';

const STANDARD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether a string value is an `ENC[age,...]` envelope (cheap; the content is checked by {@link unwrapAge}). */
export function isAgeEnvelope(value: string): boolean {
  return value.startsWith(AGE_ENVELOPE_PREFIX) && value.endsWith(']');
}

/** Why an envelope could not be unwrapped. Never contains the value itself. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

/**
 * The binary age ciphertext inside an envelope. Accepts standard base64 with or without padding,
 * ignoring whitespace (a value wrapped over several YAML lines); rejects anything else.
 *
 * @example
 * unwrapAge('ENC[age,YWdlLWVuY3J5cHRpb24u...]') // Uint8Array starting with "age-encryption.org/v1"
 */
export function unwrapAge(value: string): Uint8Array {
  if (!isAgeEnvelope(value)) throw new EnvelopeError('not an ENC[age,...] value');
  const body = value.slice(AGE_ENVELOPE_PREFIX.length, -1).replace(/\s+/g, '');
  if (body === '') throw new EnvelopeError('the ENC[age,...] value is empty');
  if (!STANDARD_BASE64.test(body) || body.length % 4 === 1) {
    throw new EnvelopeError('the ENC[age,...] value is not valid base64');
  }
  return new Uint8Array(Buffer.from(body, 'base64'));
}

/** Wraps a binary age ciphertext as `ENC[age,<base64>]` (standard base64, one line, padded). */
export function wrapAge(ciphertext: Uint8Array): string {
  return `${AGE_ENVELOPE_PREFIX}${Buffer.from(ciphertext).toString('base64')}]`;
}
