/**
 * The `ENC[age,<base64>]` envelope of an encrypted config value: recognising, unwrapping and
 * wrapping it. Pure; no cryptography here.
 */

/** The prefix every age-encrypted value starts with. */
export const AGE_ENVELOPE_PREFIX = 'ENC[age,';

const STANDARD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Whether a string value starts like an `ENC[age,...]` envelope (after any leading whitespace). Such a
 * value is the age resolver's: it decrypts or fails with `SECRET`, never loads as a plain string. The
 * content is checked by {@link unwrapAge}.
 */
export function isAgeEnvelope(value: string): boolean {
  return value.trimStart().startsWith(AGE_ENVELOPE_PREFIX);
}

/** Why an envelope could not be unwrapped. Never contains the value itself. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

/**
 * The binary age ciphertext inside an envelope. The value must be exactly `ENC[age,` + standard base64
 * (with or without padding; whitespace inside is ignored, for a value wrapped over several YAML lines)
 * + `]`: whitespace before or after it, a missing `]` or text after it are errors, as is bad base64.
 *
 * @example
 * unwrapAge('ENC[age,YWdlLWVuY3J5cHRpb24u...]') // Uint8Array starting with "age-encryption.org/v1"
 */
export function unwrapAge(value: string): Uint8Array {
  if (!isAgeEnvelope(value)) throw new EnvelopeError('not an ENC[age,...] value');
  if (value.trim() !== value) {
    throw new EnvelopeError(
      'there is whitespace (a space or a newline) before or after the ENC[age,...] value; remove it ' +
        '(in YAML, write the value on one line or as a `>-` block)',
    );
  }
  const close = value.indexOf(']', AGE_ENVELOPE_PREFIX.length);
  if (close === -1) throw new EnvelopeError('the ENC[age,...] value has no closing "]"');
  if (close !== value.length - 1) {
    throw new EnvelopeError('there is text after the closing "]" of the ENC[age,...] value');
  }
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
