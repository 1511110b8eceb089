import { parseEnv } from 'node:util';
import { ConfigError } from '../errors.js';
import { type Origin, StaticOriginMap } from '../provenance.js';
import { setPath } from '../tree.js';
import type { FormatParser } from './format.js';

/** The separator that nests keys in `.env` files, as in the env source: `SERVER__PORT` → `SERVER.PORT`. */
const NESTING = '__';

/**
 * Parses `.env` files: each variable read by {@link dotenvVariables} (Node's own `util.parseEnv` per
 * assignment; a line that is no assignment, comment or blank is a `PARSE` error naming its line, where
 * `parseEnv` alone would fold it into the next name and lose that variable). Keys stay as written;
 * `__` nests. Each key's origin is its line.
 */
export const parseDotenv: FormatParser = (text, context) => {
  const where = context.file ?? context.label ?? context.source;
  const data: Record<string, unknown> = {};
  const origins = new StaticOriginMap();
  for (const { name, value, line } of dotenvVariables(text, where)) {
    const path = name.split(NESTING).filter((segment) => segment !== '');
    if (path.length === 0) continue;
    setPath(data, path, value);
    origins.set(path, { ...context.originBase, line, column: 1 });
  }
  return { data, origins };
};

/** One variable of a `.env` file: its name, its value as `util.parseEnv` reads it, and its 1-based line. */
export interface DotenvVariable {
  name: string;
  value: string;
  line: number;
}

/** A line that sets a variable: `NAME=…` or `export NAME=…`. */
const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)\s*=/;

/**
 * Reads a `.env` file as environment variables (the env source's `files`), in file order; a name set
 * twice keeps its later line. Each value is read by Node's `util.parseEnv` (quotes, escapes, inline
 * comments and multi-line quoted values as dotenv has them); only the line structure is checked here,
 * strictly: a line that is not blank, a `#` comment, `NAME=value` or the rest of a quoted multi-line
 * value is a `PARSE` error naming `where` and the line. (`parseEnv` alone would read such a line as
 * part of the next variable's name, silently losing that variable.) The message never quotes the line,
 * which may hold a secret.
 */
export function dotenvVariables(text: string, where: string): DotenvVariable[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  const found = new Map<string, DotenvVariable>();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    const name = match?.[1];
    const last = match ? endOfValue(lines, index, match[0].length) : index;
    // The trailing newline matters: Node 20's parseEnv drops an unclosed quoted value at the very end.
    const chunk = `${lines.slice(index, last + 1).join('\n')}\n`;
    if (name === '__proto__') {
      // parseEnv cannot hold it as an own key (and reading it would give Object.prototype): dropped,
      // as every format drops it.
      index = last;
      continue;
    }
    const parsed = name === undefined ? {} : (parseEnv(chunk) as Record<string, string>);
    const value =
      name === undefined ? undefined : Object.hasOwn(parsed, name) ? parsed[name] : Object.values(parsed)[0];
    if (name === undefined || value === undefined) {
      throw new ConfigError(
        'PARSE',
        `${where}:${index + 1}:1: not a variable: expected NAME=value, a # comment or a blank line`,
        { file: where, line: index + 1, column: 1 },
      );
    }
    found.delete(name);
    found.set(name, { name, value, line: index + 1 });
    index = last;
  }
  return [...found.values()];
}

/**
 * The last line of a value that starts at column `from` of `lines[start]`: a quoted value runs to its
 * closing quote, on a later line if need be (as `parseEnv` reads it); anything else ends on its line.
 */
function endOfValue(lines: readonly string[], start: number, from: number): number {
  const rest = (lines[start] as string).slice(from).trimStart();
  const quote = rest[0];
  if (quote !== '"' && quote !== "'" && quote !== '`') return start;
  if (rest.indexOf(quote, 1) !== -1) return start;
  for (let index = start + 1; index < lines.length; index++) {
    if ((lines[index] as string).includes(quote)) return index;
  }
  // Never closed: parseEnv reads the line as it is.
  return start;
}
