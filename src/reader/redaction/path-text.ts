/**
 * Paths as people type them (the CLI's PATH arguments, `--secret`, a schema module's `secrets` export):
 * dotted keys, with keys containing dots, spaces or quotes written JSON-quoted
 * (`labels."app.kubernetes.io/name"`, as the library prints them in `changed` lists), or a JSON array
 * of keys (`["labels","app.kubernetes.io/name"]`).
 */

/** A path text that cannot be read; the message names the text. */
export class PathSyntaxError extends Error {
  override readonly name = 'PathSyntaxError';
}

/** Splits a dotted path into keys, honouring JSON-quoted segments. `''` is the root (`[]`). */
export function parseDottedPath(text: string): string[] {
  return parseSegments(text).map((segment) => segment.key);
}

/** One key of a dotted path, and whether it was written quoted (a quoted `"*"` is a literal key). */
export interface PathSegment {
  key: string;
  quoted: boolean;
}

/** Like {@link parseDottedPath}, keeping whether each key was quoted. */
export function parseSegments(text: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let index = 0;
  if (text === '') return segments;
  while (index <= text.length) {
    if (text[index] === '"') {
      const end = closingQuote(text, index);
      segments.push({ key: JSON.parse(text.slice(index, end + 1)) as string, quoted: true });
      index = end + 1;
      if (index < text.length && text[index] !== '.') throw new PathSyntaxError(`invalid path "${text}"`);
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

function closingQuote(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index;
  }
  throw new PathSyntaxError(`invalid path "${text}": unterminated quote`);
}

/** Reads a path text: a JSON array of keys (`["a","b.c"]`) or a dotted path. Throws {@link PathSyntaxError}. */
export function parsePathText(text: string): string[] {
  if (!text.startsWith('[')) return parseDottedPath(text);
  let keys: unknown;
  try {
    keys = JSON.parse(text);
  } catch {
    throw new PathSyntaxError(`PATH "${text}" is not a JSON array of keys`);
  }
  if (!Array.isArray(keys)) throw new PathSyntaxError(`PATH "${text}" is not a JSON array of keys`);
  return keys.map(String);
}

/** The inverse of {@link parseDottedPath}. */
export function formatDottedPath(keys: readonly string[]): string {
  return keys.map((key) => (/[.\s"]/.test(key) ? JSON.stringify(key) : key)).join('.');
}
