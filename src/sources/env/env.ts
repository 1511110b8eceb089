import { checksumText } from '../../reader/checksum.js';
import { toConfigError } from '../../reader/errors.js';
import type { Origin } from '../../reader/provenance.js';
import type { Observable } from '../../rx/index.js';
import { observable } from '../../rx/lazy.js';
import { DIRECT_WATCH, type WatchObserver } from '../../source-kit/direct-watch.js';
import { ErrorListeners } from '../../source-kit/error-listeners.js';
import { describeEnvOrigin } from '../../source-kit/origins.js';
import type { ChangeSet, KeyHints, ResolvedData, Source } from '../../source-kit/source.js';
import { TreeBuilder } from '../../source-kit/tree-builder.js';
import { processEnvironment } from './environ.js';
import { DotenvFiles, type EnvFile, type FileVariable } from './files.js';

/** Options of {@link env}. */
export interface EnvOptions {
  /** Only variables starting with this prefix (or one of these), which is stripped. Omitted or `''`: all variables. */
  prefix?: string | readonly string[];
  /** Separator that always nests (default `__`): `APP_SERVER__PORT` → `server.port`. */
  separator?: string;
  /** Where variables come from (default `process.env`); inject it in tests. */
  environ?: () => Record<string, string | undefined>;
  /**
   * `.env` files read as variables under the real environment: a variable set in the environment wins
   * over every file, and a later file wins over an earlier one. Their variables go through the same
   * prefix, separator and schema-guided mapping; values are taken as written (no `${NAME}`). The files
   * are watched: an edit, a file created later or deleted applies live, and a line that is not
   * `NAME=value` is a `PARSE` error naming the file and line (the last good config stays). A missing
   * file is fine unless given as `{ path, optional: false }`.
   */
  files?: readonly (string | EnvFile)[];
}

/**
 * Environment variables as a config layer. Names are lower-cased and split on `separator`; a single
 * `_` splits further only where the schema or a lower layer knows the keys, so `APP_LIMITS_MAX_CONNECTIONS`
 * becomes `limits.maxConnections` when that path exists, else `limits_max_connections`. Values stay
 * strings; the schema coerces them. Static (read once per load or `sync()`), except for its `files`,
 * which are watched.
 *
 * @example
 * env({ prefix: 'APP_' })   // APP_SERVER_PORT=9090 → server.port = "9090" (9090 with a number schema)
 * env({ prefix: 'APP_', files: ['.env', '.env.local'] })   // the environment > .env.local > .env
 */
export function env(options: EnvOptions = {}): Source {
  const prefixes = toPrefixes(options.prefix);
  const separator = options.separator ?? '__';
  const environ = options.environ ?? processEnvironment;
  const name = `env:${prefixes.join(',') || '*'}`;
  const files = options.files?.length ? new DotenvFiles(options.files, name) : undefined;

  const current = (): ChangeSet => {
    const variables = selectVariables(environ(), prefixes, files?.variables());
    const resolve = (hints: KeyHints): ResolvedData => mapVariables(variables, separator, hints, name);
    // The loader maps the names with the keys below (`resolve`); the plain mapping is made only for
    // whoever reads `data` itself, so that 100,000 variables are mapped once per read, not twice.
    let plain: ResolvedData | undefined;
    const unshaped = (): ResolvedData => {
      plain ??= resolve({ childKeys: () => [] });
      return plain;
    };
    return {
      get data() {
        return unshaped().data;
      },
      get origins() {
        return unshaped().origins;
      },
      checksum: checksumText(JSON.stringify(variables.map(checksumEntry))),
      source: name,
      timestamp: new Date(),
      resolve,
    };
  };

  const source: Source = {
    name,
    describeOrigin: describeEnvOrigin,
    async read(signal?: AbortSignal): Promise<ChangeSet> {
      await files?.read(signal);
      return current();
    },
  };
  return files ? withFileWatch(source, files, current) : source;
}

/** Adds the watch of its `.env` files to an env source: each new good read of a file emits the whole layer again. */
function withFileWatch(source: Source, files: DotenvFiles, current: () => ChangeSet): Source {
  const errorListeners = new ErrorListeners();
  const direct = (observer: WatchObserver): (() => void) =>
    files.watch(
      () => observer.next(current()),
      (error) => errorListeners.report(toConfigError(error, 'SOURCE_READ', source.name)),
      (error) => observer.error(error),
    );
  const watched: Source = {
    ...source,
    watch: (): Observable<ChangeSet> => observable<ChangeSet>((subscriber) => direct(subscriber)),
    onError: (listener) => errorListeners.add(listener),
  };
  // The loader's own subscription, without an Observable (no rxjs loaded): see DIRECT_WATCH.
  Object.defineProperty(watched, DIRECT_WATCH, { value: direct });
  return watched;
}

/** What a variable contributes to the checksum: a file's variable also its place, so explain() follows a moved line. */
function checksumEntry(variable: Variable): unknown[] {
  const origin = variable.origin as { file?: unknown; line?: unknown } | undefined;
  return origin ? [variable.name, variable.value, origin.file, origin.line] : [variable.name, variable.value];
}

/** A selected variable: its full name and the part after the prefix. */
interface Variable {
  name: string;
  rest: string;
  value: string;
  /** Where a variable read from a `.env` file was set; the environment's are `{ env: name }`. */
  origin?: Origin;
}

function toPrefixes(prefix: EnvOptions['prefix']): string[] {
  if (prefix === undefined) return [];
  return (typeof prefix === 'string' ? [prefix] : [...prefix]).filter((item) => item !== '');
}

/** The variables under the prefixes: the environment's, then the files' that the environment does not set. */
function selectVariables(
  environ: Record<string, string | undefined>,
  prefixes: readonly string[],
  fromFiles?: ReadonlyMap<string, FileVariable>,
): Variable[] {
  const selected: Variable[] = [];
  const take = (name: string, value: string, origin?: Origin): void => {
    if (prefixes.length === 0) {
      selected.push({ name, rest: name, value, origin });
      return;
    }
    const prefix = prefixes.find((candidate) => name.startsWith(candidate));
    if (prefix === undefined) return;
    const rest = name.slice(prefix.length).replace(/^_+/, '');
    if (rest !== '') selected.push({ name, rest, value, origin });
  };
  const set = fromFiles ? new Set<string>() : undefined;
  for (const [name, value] of Object.entries(environ)) {
    if (value === undefined) continue;
    set?.add(name);
    take(name, value);
  }
  for (const [name, variable] of fromFiles ?? []) {
    if (!set?.has(name)) take(name, variable.value, variable.origin);
  }
  return selected.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Lower-cased with `_` and `-` removed: how an env word sequence is compared with a key. */
function normalize(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/**
 * Maps one variable's name to a path, matching `_`-separated words against known keys. Within each
 * `separator`-delimited segment the words are split into known keys by a small backtracking search
 * (longest key first), preferring, in order: keys whose SCREAMING_SNAKE form is exactly the words
 * (`aB` for `A_B`) over looser matches (`ab` for `A_B`), and a path that ends where the name should
 * end (a leaf for the last segment, a branch before a separator). So `A_A_A` reaches `a.a.a` even
 * beside a sibling `aA`. When no split lands entirely on known keys, each step takes the longest
 * known key and the rest of the words become one snake_case key (`server.tls_cert_file`).
 */
export function envNameToPath(rest: string, separator: string, hints: KeyHints): string[] {
  const segments = rest
    .split(separator)
    .map((segment) => segment.split('_').filter((word) => word !== ''))
    .filter((words) => words.length > 0);
  const path: string[] = [];
  segments.forEach((words, index) => {
    const end: End = index === segments.length - 1 ? 'leaf' : 'branch';
    const budget = { steps: 0 };
    const known =
      matchAll(words, path, hints, 'exact', end, budget) ??
      matchAll(words, path, hints, 'loose', end, budget) ??
      matchAll(words, path, hints, 'exact', 'any', budget) ??
      matchAll(words, path, hints, 'loose', 'any', budget);
    if (known) path.push(...known);
    else matchGreedy(words, path, hints);
  });
  return path;
}

/** How a run of words must compare with a key: as its SCREAMING_SNAKE form, or ignoring `_`, `-` and case. */
type Compare = 'exact' | 'loose';
/** Where a match must end: at a key without known children, at one with, or anywhere. */
type End = 'leaf' | 'branch' | 'any';

/** Bounds the backtracking search of one segment (names are short; this only stops pathological ones). */
const MAX_MATCH_STEPS = 2000;

/** `maxConnections` → `MAX_CONNECTIONS`, `log-level` → `LOG_LEVEL`. */
function screamingSnake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toUpperCase();
}

/** Known keys that consume all `words` below `path`, longest first, backtracking; `undefined` when none do. */
function matchAll(
  words: readonly string[],
  path: readonly string[],
  hints: KeyHints,
  compare: Compare,
  end: End,
  budget: { steps: number },
): string[] | undefined {
  if (++budget.steps > MAX_MATCH_STEPS) return undefined;
  const known = hints.childKeys(path);
  if (words.length === 0) {
    if (end === 'any' || (end === 'leaf') === (known.length === 0)) return [];
    return undefined;
  }
  if (known.length === 0) return undefined;
  const form = compare === 'exact' ? screamingSnake : normalize;
  const byForm = new Map<string, string>();
  for (const key of known) if (!byForm.has(form(key))) byForm.set(form(key), key);
  for (let length = words.length; length >= 1; length--) {
    const run = words.slice(0, length);
    const key = byForm.get(compare === 'exact' ? run.join('_').toUpperCase() : normalize(run.join('')));
    if (key === undefined) continue;
    const tail = matchAll(words.slice(length), [...path, key], hints, compare, end, budget);
    if (tail) return [key, ...tail];
  }
  return undefined;
}

/** Longest known key at each step; the first unknown rest becomes one lower-cased snake_case key. */
function matchGreedy(words: readonly string[], path: string[], hints: KeyHints): void {
  let rest = words;
  while (rest.length > 0) {
    const match = longestMatch(rest, hints.childKeys(path));
    if (match) {
      path.push(match.key);
      rest = rest.slice(match.length);
    } else {
      path.push(rest.join('_').toLowerCase());
      rest = [];
    }
  }
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
  const tree = new TreeBuilder(source);
  // Sorted by name, so that when two names map to the same path the result does not depend on the
  // environment's order; a leaf/branch clash is a CONFLICT whatever the order.
  for (const variable of variables) {
    const path = envNameToPath(variable.rest, separator, hints);
    tree.set(path, variable.value, variable.name, variable.origin ?? { env: variable.name });
  }
  return tree.build();
}
