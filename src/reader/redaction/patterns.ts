/**
 * Secret path patterns: keys where `*` matches any one key (`tenants.*.dsn`). Written as a path text
 * (dotted with JSON-quoted keys, or a JSON array; a quoted `"*"` in dotted form is a literal key) or as
 * a key array (where `*` is the wildcard). A pattern covers its path and everything below it.
 */
import { parsePathSegments, parsePathText } from '../path.js';

/** One key of a compiled pattern; `undefined` matches any key. */
export type PatternKey = string | undefined;

/** A compiled secret path pattern. */
export type SecretPattern = readonly PatternKey[];

/** A secret path pattern as users give it. */
export type SecretPath = string | readonly string[];

/** Compiles a pattern. Throws an `INVALID_ARGUMENT` ConfigError for a path text that cannot be read. */
export function compilePattern(pattern: SecretPath): SecretPattern {
  if (typeof pattern !== 'string') return pattern.map(wildcard);
  if (pattern.startsWith('[')) return parsePathText(pattern).map(wildcard);
  return parsePathSegments(pattern).map((segment) => (segment.quoted ? segment.key : wildcard(segment.key)));
}

function wildcard(key: string): PatternKey {
  return key === '*' ? undefined : key;
}

/** Whether `pattern` matches `path` or one of its ancestors (a secret branch hides everything below it). */
export function coversPath(pattern: SecretPattern, path: readonly string[]): boolean {
  if (pattern.length === 0 || pattern.length > path.length) return false;
  for (let index = 0; index < pattern.length; index++) {
    const key = pattern[index];
    if (key !== undefined && key !== path[index]) return false;
  }
  return true;
}
