import { pathKey } from '../provenance.js';
import { nonPlainError, parseError, requireMapping } from './errors.js';
import type { FormatParser } from './format.js';
import { tomlModule } from './lazy-modules.js';
import { OffsetOrigins } from './offset-origins.js';
import { toPlainData } from './plain.js';
import { TextPositions } from './text-position.js';

/**
 * Parses TOML 1.0 with smol-toml (loaded on first use). Dates become strings: offset date-times their
 * ISO 8601 UTC form, local dates, times and date-times the form they were written in (`1979-05-27`).
 * Line origins are found lazily by a line scanner of keys and table headers.
 */
export const parseToml: FormatParser = (text, context) => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { parse, TomlError } = tomlModule();
  let data: unknown;
  try {
    data = parse(body);
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? error.message;
      throw parseError(context, reason, { line: error.line, column: error.column }, error);
    }
    throw parseError(context, (error as Error).message, undefined, error);
  }
  const positions = new TextPositions(body);
  const origins = new OffsetOrigins(() => scanTomlOffsets(body), positions, context.originBase);
  const plain = toPlainData(data, (path, reason) => {
    throw nonPlainError(context, origins, path, reason);
  });
  return { data: requireMapping(plain, context), origins };
};

const HEADER = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/;
const ASSIGNMENT =
  /^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=/;

/** Splits a dotted TOML key (`a."b.c".d`) into segments. */
function splitKey(key: string): string[] {
  const parts: string[] = [];
  const pattern = /\s*("([^"]*)"|'([^']*)'|[A-Za-z0-9_-]+)\s*(\.|$)/g;
  for (let match = pattern.exec(key); match && match[0] !== ''; match = pattern.exec(key)) {
    parts.push(match[2] ?? match[3] ?? match[1] ?? '');
  }
  return parts;
}

/** Records the offset of each key and table header of a TOML text, by path (a line scanner). */
function scanTomlOffsets(text: string): Map<string, number> {
  const found = new Map<string, number>();
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    const assignment = header ? null : ASSIGNMENT.exec(line);
    if (header?.[1]) {
      table = splitKey(header[1]);
      if (line.trimStart().startsWith('[[')) {
        const key = pathKey(table);
        const count = arrayCounts.get(key) ?? 0;
        arrayCounts.set(key, count + 1);
        table = [...table, String(count)];
      }
      found.set(pathKey(table), lineStart + line.indexOf('['));
    } else if (assignment?.[1]) {
      const indent = line.length - line.trimStart().length;
      found.set(pathKey([...table, ...splitKey(assignment[1])]), lineStart + indent);
    }
    lineStart += line.length + 1;
  }
  return found;
}
