import { checksumData } from '../reader/checksum.js';
import { ConfigError } from '../reader/errors.js';
import { pathKey, StaticOriginMap } from '../reader/provenance.js';
import { setPath, UNSAFE_KEYS } from '../reader/tree.js';
import type { ChangeSet, KeyHints, ResolvedData, Source } from './source.js';

/** Options of {@link env}. */
export interface EnvOptions {
  /** Only variables starting with this prefix (or one of these), which is stripped. Omitted or `''`: all variables. */
  prefix?: string | readonly string[];
  /** Separator that always nests (default `__`): `APP_SERVER__PORT` → `server.port`. */
  separator?: string;
  /** Where variables come from (default `process.env`); inject it in tests. */
  environ?: () => Record<string, string | undefined>;
}

/**
 * Environment variables as a config layer. Names are lower-cased and split on `separator`; a single
 * `_` splits further only where the schema or a lower layer knows the keys, so `APP_LIMITS_MAX_CONNECTIONS`
 * becomes `limits.maxConnections` when that path exists, else `limits_max_connections`. Values stay
 * strings; the schema coerces them. Static: read once per load or `sync()`.
 *
 * @example
 * env({ prefix: 'APP_' })   // APP_SERVER_PORT=9090 → server.port = "9090" (9090 with a number schema)
 */
export function env(options: EnvOptions = {}): Source {
  const prefixes = toPrefixes(options.prefix);
  const separator = options.separator ?? '__';
  const environ = options.environ ?? (() => process.env);
  const name = `env:${prefixes.join(',') || '*'}`;
  return {
    name,
    async read(): Promise<ChangeSet> {
      const variables = selectVariables(environ(), prefixes);
      const resolve = (hints: KeyHints): ResolvedData => mapVariables(variables, separator, hints, name);
      const plain = resolve({ childKeys: () => [] });
      return { ...plain, checksum: checksumData(variables), source: name, timestamp: new Date(), resolve };
    },
  };
}

/** A selected variable: its full name and the part after the prefix. */
interface Variable {
  name: string;
  rest: string;
  value: string;
}

function toPrefixes(prefix: EnvOptions['prefix']): string[] {
  if (prefix === undefined) return [];
  return (typeof prefix === 'string' ? [prefix] : [...prefix]).filter((item) => item !== '');
}

function selectVariables(
  environ: Record<string, string | undefined>,
  prefixes: readonly string[],
): Variable[] {
  const selected: Variable[] = [];
  for (const [name, value] of Object.entries(environ)) {
    if (value === undefined) continue;
    if (prefixes.length === 0) {
      selected.push({ name, rest: name, value });
      continue;
    }
    const prefix = prefixes.find((candidate) => name.startsWith(candidate));
    if (prefix === undefined) continue;
    const rest = name.slice(prefix.length).replace(/^_+/, '');
    if (rest !== '') selected.push({ name, rest, value });
  }
  return selected.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Lower-cased with `_` and `-` removed: how an env word sequence is compared with a key. */
function normalize(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** Maps one variable's name to a path, matching `_`-separated words against known keys. */
export function envNameToPath(rest: string, separator: string, hints: KeyHints): string[] {
  const path: string[] = [];
  for (const segment of rest.split(separator)) {
    if (segment === '') continue;
    let words = segment.split('_').filter((word) => word !== '');
    while (words.length > 0) {
      const known = hints.childKeys(path);
      const match = longestMatch(words, known);
      if (match) {
        path.push(match.key);
        words = words.slice(match.length);
      } else {
        path.push(words.join('_').toLowerCase());
        words = [];
      }
    }
  }
  return path;
}

function longestMatch(
  words: readonly string[],
  known: readonly string[],
): { key: string; length: number } | undefined {
  if (known.length === 0) return undefined;
  const byNormal = new Map(known.map((key) => [normalize(key), key]));
  for (let length = words.length; length >= 1; length--) {
    const key = byNormal.get(normalize(words.slice(0, length).join('')));
    if (key !== undefined) return { key, length };
  }
  return undefined;
}

function mapVariables(
  variables: readonly Variable[],
  separator: string,
  hints: KeyHints,
  source: string,
): ResolvedData {
  const data: Record<string, unknown> = {};
  const origins = new StaticOriginMap();
  const owners = new Map<string, string>();
  const mapped = variables.map((variable) => ({
    variable,
    path: envNameToPath(variable.rest, separator, hints),
  }));
  mapped.sort((a, b) => a.path.length - b.path.length);
  for (const { variable, path } of mapped) {
    if (path.length === 0 || path.some((key) => UNSAFE_KEYS.has(key))) continue;
    const clash = findClash(owners, path);
    if (clash) {
      throw new ConfigError(
        'CONFLICT',
        `${source}: ${clash.owner} sets "${clash.at}" to a value, but ${variable.name} sets "${path.join('.')}" below it; remove one of them`,
        { source, path: path.join('.') },
      );
    }
    owners.set(pathKey(path), variable.name);
    setPath(data, path, variable.value);
    origins.set(path, { env: variable.name });
  }
  return { data, origins };
}

/** The variable that already owns a leaf on the way to `path`, and that leaf's path. */
function findClash(
  owners: ReadonlyMap<string, string>,
  path: readonly string[],
): { owner: string; at: string } | undefined {
  for (let end = 1; end < path.length; end++) {
    const owner = owners.get(pathKey(path.slice(0, end)));
    if (owner !== undefined) return { owner, at: path.slice(0, end).join('.') };
  }
  return undefined;
}
