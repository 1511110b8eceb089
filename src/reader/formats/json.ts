import { pathKey } from '../provenance.js';
import { parseError, requireMapping } from './errors.js';
import type { FormatParser } from './format.js';
import { locateJsonError } from './json-error.js';
import { OffsetOrigins } from './offset-origins.js';
import { TextPositions } from './text-position.js';

/**
 * Parses JSON with `JSON.parse` (the hot path). Line origins are computed lazily by a small scanner
 * that runs only when someone asks where a value came from.
 */
export const parseJson: FormatParser = (text, context) => {
  // A byte order mark is not part of the document: lines and columns count from after it, as editors show them.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const positions = new TextPositions(body);
  let data: unknown;
  try {
    data = body.trim() === '' ? {} : JSON.parse(body);
  } catch (error) {
    // V8 gives no position for some errors ("Unexpected token"), so the position is found by a scan.
    const located = locateJsonError(body);
    if (located) throw parseError(context, located.reason, positions.at(located.offset), error);
    const message = (error as Error).message;
    const match = /at position (\d+)/.exec(message);
    const offset = match ? Number(match[1]) : undefined;
    const reason = message.replace(/\s*(?:in JSON )?at position \d+[\s\S]*$/, '');
    throw parseError(context, reason, offset === undefined ? undefined : positions.at(offset), error);
  }
  const base = context.originBase;
  return {
    data: requireMapping(data, context),
    origins: new OffsetOrigins(() => scanJsonOffsets(body), positions, base),
  };
};

/** Records the offset of each object key (and of each array element) of a valid JSON text, by path. */
export function scanJsonOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let index = 0;
  const skipSpace = (): void => {
    while (index < text.length && /[\s\uFEFF]/.test(text[index] as string)) index++;
  };
  const readString = (): string => {
    const start = index;
    index++;
    while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
    index++;
    return JSON.parse(text.slice(start, index)) as string;
  };
  /** The members of an object or the elements of an array, up to `close`; each records its offset. */
  const readMembers = (path: string[], close: '}' | ']'): void => {
    index++;
    let position = 0;
    skipSpace();
    while (text[index] !== close && index < text.length) {
      skipSpace();
      const offset = index;
      const childPath = [...path, close === '}' ? readString() : String(position++)];
      offsets.set(pathKey(childPath), offset);
      if (close === '}') {
        skipSpace();
        index++; // ':'
      }
      readValue(childPath);
      skipSpace();
      if (text[index] === ',') index++;
      skipSpace();
    }
    index++;
  };
  const readValue = (path: string[]): void => {
    skipSpace();
    const char = text[index];
    if (char === '{') readMembers(path, '}');
    else if (char === '[') readMembers(path, ']');
    else if (char === '"') readString();
    else while (index < text.length && !/[\s,\]}]/.test(text[index] as string)) index++;
  };
  readValue([]);
  return offsets;
}
