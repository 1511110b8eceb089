import crypto from 'node:crypto';

/** One-shot hashing (Node 20.12+) avoids the Hash object; older runtimes fall back to createHash. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;

/** A short content checksum (SHA-1, hex) of a text. Equal texts, equal checksums. Not for security. */
export function checksumText(text: string): string {
  return oneShot ? oneShot('sha1', text) : crypto.createHash('sha1').update(text).digest('hex');
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
