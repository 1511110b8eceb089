import { pathKey } from '../reader/provenance.js';

/**
 * Records the offset of each object key (and of each array element) of a valid JSON5 text, by path:
 * comments, single-quoted strings, unquoted keys and trailing commas included. Runs only when someone
 * asks where a value came from. `decodeKey` turns a quoted key literal into its string.
 */
export function scanJson5Offsets(text: string, decodeKey: (literal: string) => string): Map<string, number> {
  const offsets = new Map<string, number>();
  let index = 0;
  const skipSpace = (): void => {
    for (;;) {
      const char = text[index];
      if (char === undefined) return;
      if (char === '/' && text[index + 1] === '/') {
        const end = text.indexOf('\n', index);
        index = end === -1 ? text.length : end + 1;
      } else if (char === '/' && text[index + 1] === '*') {
        const end = text.indexOf('*/', index + 2);
        index = end === -1 ? text.length : end + 2;
      } else if (/[\s\uFEFF]/.test(char)) {
        index++;
      } else {
        return;
      }
    }
  };
  const readString = (): string => {
    const start = index;
    const quote = text[index];
    index++;
    while (index < text.length && text[index] !== quote) index += text[index] === '\\' ? 2 : 1;
    index++;
    return text.slice(start, index);
  };
  const readBare = (): string => {
    const start = index;
    while (index < text.length && !/[\s,:\]}/]/.test(text[index] as string)) index++;
    return text.slice(start, index);
  };
  const readKey = (): string => {
    const char = text[index];
    if (char === '"' || char === "'") return decodeKey(readString());
    const bare = readBare();
    return bare.includes('\\') ? decodeKey(`"${bare}"`) : bare;
  };
  const readValue = (path: string[]): void => {
    skipSpace();
    const char = text[index];
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      index++;
      let position = 0;
      for (skipSpace(); index < text.length && text[index] !== close; skipSpace()) {
        let childPath: string[];
        if (close === '}') {
          const keyOffset = index;
          childPath = [...path, readKey()];
          offsets.set(pathKey(childPath), keyOffset);
          skipSpace();
          index++; // ':'
          skipSpace();
        } else {
          childPath = [...path, String(position++)];
          offsets.set(pathKey(childPath), index);
        }
        readValue(childPath);
        skipSpace();
        if (text[index] === ',') index++;
      }
      index++;
    } else if (char === '"' || char === "'") {
      readString();
    } else {
      readBare();
    }
  };
  readValue([]);
  return offsets;
}
