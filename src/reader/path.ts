import { ConfigError } from './errors.js';

/**
 * The one path grammar. Every path livecfg hands out (`changes$`, `explain`, `history`, the inspector,
 * the CLI, error messages) is written by {@link formatPath}, and every path it accepts (`get`, `watch`,
 * `explain`, `set`, `delete`, `?path=`, CLI arguments) is read by {@link parsePath}, so each one can be
 * fed back:
 *
 * - a path is keys joined with `.`; `''` is the root;
 * - a key is written bare unless it is empty, holds a dot, a quote, a backslash, whitespace, a bracket
 *   or a `*`, or is not printable: then it is a JSON string (`labels."app.kubernetes.io/name"`,
 *   `a."".b`, `"*"`);
 * - a bare key is everything up to the next dot (non-ASCII text stays bare: `größe.höhe`);
 * - array indexes are keys too (`servers.0.host`).
 *
 * A text that starts with `[` is read by {@link parsePathText} as a JSON array of keys instead, for
 * people typing paths (CLI, `?path=`). A bare `*` means "any key" only in secret patterns.
 */

/** A path into the tree: a dotted string (`server.port`) or an array of keys. */
export type PathInput = string | readonly (string | number)[];

/** One key of a path text, and whether it was written quoted (a quoted `"*"` is a literal key). */
export interface PathSegment {
  key: string;
  quoted: boolean;
}

/** Keys that {@link formatPath} writes as JSON strings. */
const NEEDS_QUOTES = /[.\s"\\[\]*\p{C}]/u;

/** Writes keys as a path text; {@link parsePath} reads it back to the same keys. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (let index = 0; index < path.length; index++) {
    const key = path[index] as string | number;
    const written =
      typeof key === 'number'
        ? String(key)
        : key === '' || NEEDS_QUOTES.test(key)
          ? JSON.stringify(key)
          : key;
    text = index === 0 ? written : `${text}.${written}`;
  }
  return text;
}

/** Reads a dotted path text into keys (`a."b.c"` → `['a', 'b.c']`). Throws `INVALID_ARGUMENT`. */
export function parsePath(text: string): string[] {
  if (text === '') return [];
  if (!text.includes('"')) return text.split('.');
  return parsePathSegments(text).map((segment) => segment.key);
}

/** Like {@link parsePath}, keeping whether each key was quoted. */
export function parsePathSegments(text: string): PathSegment[] {
  const segments: PathSegment[] = [];
  if (text === '') return segments;
  let index = 0;
  while (index <= text.length) {
    if (text[index] === '"') {
      const end = closingQuote(text, index);
      segments.push({ key: quotedKey(text, index, end), quoted: true });
      index = end + 1;
      if (index < text.length && text[index] !== '.') {
        throw invalidPath(text, `a quoted key must be followed by "." (at ${index + 1})`);
      }
      index++;
      continue;
    }
    const dot = text.indexOf('.', index);
    const end = dot === -1 ? text.length : dot;
    segments.push({ key: text.slice(index, end), quoted: false });
    index = end + 1;
  }
  return segments;
}

/** Reads what a person typed: a JSON array of keys (`["a","b.c"]`) or a dotted path. */
export function parsePathText(text: string): string[] {
  if (!text.startsWith('[')) return parsePath(text);
  let keys: unknown;
  try {
    keys = JSON.parse(text);
  } catch {
    throw invalidPath(text, 'not a JSON array of keys');
  }
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string' || typeof key === 'number')) {
    throw invalidPath(text, 'not a JSON array of keys');
  }
  return keys.map(String);
}

/** Turns a path input into keys: texts through {@link parsePath}, arrays as they are (numbers as strings). */
export function toPath(path: PathInput): string[] {
  if (typeof path === 'string') return parsePath(path);
  if (!Array.isArray(path)) {
    throw new ConfigError(
      'INVALID_ARGUMENT',
      `a path must be a dotted string or an array of keys, got ${typeof path}`,
    );
  }
  return path.map(String);
}

function closingQuote(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index;
  }
  throw invalidPath(text, 'unterminated quote');
}

function quotedKey(text: string, start: number, end: number): string {
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    throw invalidPath(text, `invalid quoted key at ${start + 1}`);
  }
}

function invalidPath(text: string, why: string): ConfigError {
  return new ConfigError('INVALID_ARGUMENT', `invalid path ${JSON.stringify(text)}: ${why}`);
}
