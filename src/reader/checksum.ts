import { createHash } from 'node:crypto';

/** A short content checksum (SHA-1, hex) of a text. Equal texts, equal checksums. */
export function checksumText(text: string): string {
  return createHash('sha1').update(text).digest('hex');
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
