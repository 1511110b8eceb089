import { parse, TomlError } from 'smol-toml';
import { type Origin, type OriginMap, pathKey } from '../provenance.js';
import { parseError, requireMapping } from './errors.js';
import type { FormatParser } from './format.js';

/** Parses TOML 1.0 with smol-toml. Line origins are found lazily by a line scanner of keys and table headers. */
export const parseToml: FormatParser = (text, context) => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
  return { data: requireMapping(toPlain(data), context), origins: new TomlOrigins(body, context.originBase) };
};

/** smol-toml returns Date-like TomlDate objects; configs want plain values, so dates become ISO strings. */
function toPlain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key === '__proto__')
        Object.defineProperty(out, key, {
          value: toPlain((value as never)[key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[key] = toPlain((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

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

class TomlOrigins implements OriginMap {
  private lines: Map<string, { line: number; column: number }> | undefined;

  constructor(
    private readonly text: string,
    private readonly base: Origin,
  ) {}

  lookup(path: readonly string[]): Origin | undefined {
    this.lines ??= this.scan();
    for (let end = path.length; end >= 0; end--) {
      const found = this.lines.get(pathKey(path.slice(0, end)));
      if (found) return { ...this.base, ...found };
    }
    return undefined;
  }

  private scan(): Map<string, { line: number; column: number }> {
    const found = new Map<string, { line: number; column: number }>();
    const arrayCounts = new Map<string, number>();
    let table: string[] = [];
    this.text.split('\n').forEach((line, index) => {
      const header = HEADER.exec(line);
      if (header?.[1]) {
        table = splitKey(header[1]);
        if (line.trimStart().startsWith('[[')) {
          const key = pathKey(table);
          const count = arrayCounts.get(key) ?? 0;
          arrayCounts.set(key, count + 1);
          table = [...table, String(count)];
        }
        found.set(pathKey(table), { line: index + 1, column: line.indexOf('[') + 1 });
        return;
      }
      const assignment = ASSIGNMENT.exec(line);
      if (assignment?.[1]) {
        const column = line.length - line.trimStart().length + 1;
        found.set(pathKey([...table, ...splitKey(assignment[1])]), { line: index + 1, column });
      }
    });
    return found;
  }
}
