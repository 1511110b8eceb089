/**
 * Paths as the inspector writes and reads them: dotted, with keys that contain a dot, a space or a
 * quote written as JSON strings (`labels."app.kubernetes.io/name"`), the way livecfg's messages and
 * `changed` lists spell them.
 */

/** Formats keys as a dotted path (the inverse of {@link parseDottedPath}). */
export function formatDottedPath(keys: readonly string[]): string {
  return keys.map((key) => (/[.\s"]/.test(key) ? JSON.stringify(key) : key)).join('.');
}

/**
 * Splits a dotted path into keys: `a.b` → `['a','b']`, `a."b.c"` → `['a','b.c']`, `''` → `[]`.
 * Returns `undefined` when a quoted key is not valid JSON.
 */
export function parseDottedPath(text: string): string[] | undefined {
  if (text === '') return [];
  const keys: string[] = [];
  let index = 0;
  while (index <= text.length) {
    if (text[index] === '"') {
      const end = closingQuote(text, index);
      if (end === -1) return undefined;
      let key: unknown;
      try {
        key = JSON.parse(text.slice(index, end + 1));
      } catch {
        return undefined;
      }
      keys.push(key as string);
      index = end + 1;
      if (index < text.length && text[index] !== '.') return undefined;
      index++;
      continue;
    }
    const dot = text.indexOf('.', index);
    const end = dot === -1 ? text.length : dot;
    keys.push(text.slice(index, end));
    index = end + 1;
  }
  return keys;
}

/** The index of the quote that closes the JSON string starting at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index;
  }
  return -1;
}

/**
 * A `?path=` parameter: a dotted path, or a JSON array of keys (`["labels","app.kubernetes.io/name"]`).
 * Returns `undefined` when it is neither.
 */
export function parsePathParam(text: string): string[] | undefined {
  if (!text.startsWith('[')) return parseDottedPath(text);
  try {
    const keys: unknown = JSON.parse(text);
    if (Array.isArray(keys) && keys.every((key) => typeof key === 'string' || typeof key === 'number')) {
      return keys.map(String);
    }
  } catch {
    // not JSON
  }
  return undefined;
}
