import { parseEnv } from 'node:util';
import { type Origin, StaticOriginMap } from '../provenance.js';
import { setPath } from '../tree.js';
import type { FormatParser } from './format.js';

/** The separator that nests keys in `.env` files, as in the env source: `SERVER__PORT` → `SERVER.PORT`. */
const NESTING = '__';

/**
 * Parses `.env` files with Node's own `util.parseEnv` (dotenv syntax). Keys stay as written;
 * `__` nests. Each key's origin is its line.
 */
export const parseDotenv: FormatParser = (text, context) => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const values = parseEnv(body) as Record<string, string>;
  const lines = new Map<string, number>();
  body.split('\n').forEach((line, index) => {
    const match = /^\s*(?:export\s+)?([\w.-]+)\s*=/.exec(line);
    if (match?.[1]) lines.set(match[1], index + 1);
  });
  const data: Record<string, unknown> = {};
  const origins = new StaticOriginMap();
  for (const [name, value] of Object.entries(values)) {
    const path = name.split(NESTING).filter((segment) => segment !== '');
    if (path.length === 0) continue;
    setPath(data, path, value);
    const line = lines.get(name);
    const origin: Origin =
      line === undefined ? { ...context.originBase } : { ...context.originBase, line, column: 1 };
    origins.set(path, origin);
  }
  return { data, origins };
};
