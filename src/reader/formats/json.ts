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
  // Character codes, not a regex per character: this runs over whole documents (issue 21).
  const skipSpace = (): void => {
    while (index < text.length && isJsonSpace(text.charCodeAt(index))) index++;
  };
  const readString = (): string => {
    const start = index;
    let escaped = false;
    index++;
    while (index < text.length && text.charCodeAt(index) !== QUOTE) {
      if (text.charCodeAt(index) === BACKSLASH) {
        escaped = true;
        index += 2;
      } else index++;
    }
    index++;
    return escaped ? (JSON.parse(text.slice(start, index)) as string) : text.slice(start + 1, index - 1);
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
    else while (index < text.length && !endsScalar(text.charCodeAt(index))) index++;
  };
  readValue([]);
  return offsets;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** JSON whitespace, the BOM, and what else `/\s/` matched before (other Unicode spaces). */
function isJsonSpace(code: number): boolean {
  if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) return true;
  if (code < 0x80) return code === 0x0b || code === 0x0c;
  return code === 0xfeff || /\s/.test(String.fromCharCode(code));
}

/** Where a bare scalar (number, true, false, null) ends. */
function endsScalar(code: number): boolean {
  return code === 0x2c || code === 0x5d || code === 0x7d || isJsonSpace(code);
}
