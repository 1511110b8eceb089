import { ConfigError } from './errors.js';

/** A path into the tree: a dotted string (`server.port`) or an array of keys (for keys containing dots). */
export type PathInput = string | readonly (string | number)[];

/**
 * Splits a path input into keys. `'a.b.c'` → `['a','b','c']`; `''` → `[]` (the root);
 * arrays are taken as they are (numbers become strings).
 */
export function toPath(path: PathInput): string[] {
  if (typeof path === 'string') return path === '' ? [] : path.split('.');
  if (!Array.isArray(path)) {
    throw new ConfigError(
      'INVALID_ARGUMENT',
      `a path must be a dotted string or an array of keys, got ${typeof path}`,
    );
  }
  return path.map(String);
}

/** Formats a path for messages: keys joined with dots; keys containing dots are quoted. */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((key) => (typeof key === 'string' && /[.\s"]/.test(key) ? JSON.stringify(key) : String(key)))
    .join('.');
}
