/**
 * Dotted paths as the CLI reads and prints them: `server.port`, and keys containing dots, spaces or
 * quotes written JSON-quoted, as the library formats them in `changed` lists: `labels."app.kubernetes.io/name"`.
 */

/** Splits a dotted path into keys, honouring JSON-quoted segments. `''` is the root (`[]`). */
export function parseDottedPath(text: string): string[] {
  const keys: string[] = [];
  let index = 0;
  if (text === '') return keys;
  while (index <= text.length) {
    if (text[index] === '"') {
      const end = closingQuote(text, index);
      keys.push(JSON.parse(text.slice(index, end + 1)) as string);
      index = end + 1;
      if (index < text.length && text[index] !== '.') throw new Error(`invalid path "${text}"`);
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

function closingQuote(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index;
  }
  throw new Error(`invalid path "${text}": unterminated quote`);
}

/** The inverse of {@link parseDottedPath}. */
export function formatDottedPath(keys: readonly string[]): string {
  return keys.map((key) => (/[.\s"]/.test(key) ? JSON.stringify(key) : key)).join('.');
}
