/**
 * An `AGE-SECRET-KEY-1…` identity imported once as a WebCrypto X25519 key. `age-encryption` given the
 * string re-imports the private key (PKCS #8, which also derives the public key) for every file it
 * decrypts; given the CryptoKey it only derives the shared secret, which makes decrypting many values
 * several times cheaper.
 */

import type { webcrypto } from 'node:crypto';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
/** The fixed ASN.1 prefix of an X25519 private key in PKCS #8 (RFC 8410), before its 32 bytes. */
const PKCS8_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
];

function polymod(values: readonly number[]): number {
  let check = 1;
  for (const value of values) {
    const top = check >>> 25;
    check = ((check & 0x1ffffff) << 5) ^ value;
    for (let bit = 0; bit < 5; bit++) if ((top >>> bit) & 1) check ^= GENERATOR[bit] as number;
  }
  return check;
}

/** The bytes of a bech32 string with a valid checksum, or `undefined`. */
function bech32Bytes(text: string): Uint8Array | undefined {
  const lower = text.toLowerCase();
  const split = lower.lastIndexOf('1');
  if (split < 1 || lower.length - split < 7) return undefined;
  const prefix = lower.slice(0, split);
  const data: number[] = [];
  for (const char of lower.slice(split + 1)) {
    const value = CHARSET.indexOf(char);
    if (value === -1) return undefined;
    data.push(value);
  }
  const expanded = [...prefix].map((char) => char.charCodeAt(0) >> 5);
  expanded.push(0, ...[...prefix].map((char) => char.charCodeAt(0) & 31));
  if (polymod([...expanded, ...data]) !== 1) return undefined;
  const bytes: number[] = [];
  let accumulator = 0;
  let bits = 0;
  for (const value of data.slice(0, -6)) {
    accumulator = (accumulator << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((accumulator >> bits) & 0xff);
    }
  }
  if (bits >= 5 || (accumulator & ((1 << bits) - 1)) !== 0) return undefined;
  return Uint8Array.from(bytes);
}

/**
 * `identity` as a non-extractable X25519 CryptoKey when it is a well-formed `AGE-SECRET-KEY-1…` and
 * WebCrypto supports X25519; otherwise the string itself (post-quantum identities, or a malformed one,
 * which `age-encryption` then rejects with its own error).
 */
export async function importIdentity(identity: string): Promise<webcrypto.CryptoKey | string> {
  if (!identity.startsWith('AGE-SECRET-KEY-1')) return identity;
  const bytes = bech32Bytes(identity);
  if (bytes === undefined || bytes.length !== 32) return identity;
  const pkcs8 = Uint8Array.from([...PKCS8_PREFIX, ...bytes]);
  bytes.fill(0);
  try {
    return await globalThis.crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, [
      'deriveBits',
    ]);
  } catch {
    return identity;
  } finally {
    pkcs8.fill(0);
  }
}
