/** Texts up to this many characters are hashed in JavaScript; longer ones with SHA-1 (node:crypto). */
const SMALL_TEXT = 1 << 20;

/**
 * A short content checksum of a text. Equal texts, equal checksums. Not for security.
 *
 * Config files (nearly all small) get two 32-bit FNV-1a lanes with different primes plus the length,
 * computed in JavaScript, so that reading a config never loads `node:crypto` (a few ms of cold start).
 * Each lane is a bijection per character, so two texts of one length that differ in one character
 * never collide. Longer texts get SHA-1, loaded on first use.
 */
export function checksumText(text: string): string {
  if (text.length > SMALL_TEXT) return sha1(text);
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
  }
  return `${text.length.toString(36)}:${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}`;
}

function sha1(text: string): string {
  const crypto = process.getBuiltinModule('node:crypto');
  return crypto.hash ? crypto.hash('sha1', text) : crypto.createHash('sha1').update(text).digest('hex');
}

/** A checksum of plain data, independent of key order. */
export function checksumData(data: unknown): string {
  return checksumText(stableStringify(data));
}

/** JSON with object keys sorted, so that equal trees give equal strings. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const keys = Object.keys(value).sort();
  const body = keys.map(
    (key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`,
  );
  return `{${body.join(',')}}`;
}
