import type { ConfigData, Resolver } from '../reader/contract.js';
import { ConfigError } from '../reader/errors.js';
import { formatPath } from '../reader/path.js';
import { toPlainValue } from '../reader/plain.js';
import type { Origin, OriginMap } from '../reader/provenance.js';
import { pathKey } from '../reader/provenance.js';
import { isPlainObject } from '../reader/tree.js';
import { abortError, raceSignal, withDeadline } from './abort.js';
import { Limiter } from './limit.js';

/** A layer's data after resolving: the new data, and which resolver produced the value at each path. */
export interface ResolvedLayer {
  data: ConfigData;
  /** pathKey → resolver name, for every replaced value. */
  resolvedBy: ReadonlyMap<string, string>;
}

/** Finds every string a resolver matches, with its path. */
function collect(
  node: unknown,
  path: string[],
  resolvers: readonly Resolver[],
  out: Array<{ path: string[]; value: string; resolver: Resolver }>,
): void {
  if (typeof node === 'string') {
    const resolver = resolvers.find((candidate) => candidate.matches(node));
    if (resolver) out.push({ path: [...path], value: node, resolver });
    return;
  }
  if (node === null || typeof node !== 'object') return;
  if (!Array.isArray(node) && !isPlainObject(node)) return;
  for (const key of Object.keys(node)) {
    path.push(key);
    collect((node as Record<string, unknown>)[key], path, resolvers, out);
    path.pop();
  }
}

/**
 * A copy of `root` with each `[path, value]` in place, copying each container on the way once (arrays
 * too), however many values land in it: linear in the paths' total length, not in paths × siblings.
 */
function replaceAll(
  root: unknown,
  replacements: ReadonlyArray<readonly [readonly string[], unknown]>,
): unknown {
  if (replacements.length === 0) return root;
  const copies = new Set<object>();
  const copyOf = (node: unknown): Record<string, unknown> => {
    const copy = (Array.isArray(node) ? [...node] : { ...(node as object) }) as Record<string, unknown>;
    copies.add(copy);
    return copy;
  };
  let out: unknown = root;
  for (const [path, value] of replacements) {
    if (path.length === 0) {
      out = value;
      continue;
    }
    if (!copies.has(out as object)) out = copyOf(out);
    let container = out as Record<string, unknown>;
    for (let index = 0; index < path.length - 1; index++) {
      const key = path[index] as string;
      let child = container[key];
      if (!copies.has(child as object)) {
        child = copyOf(child);
        container[key] = child;
      }
      container = child as Record<string, unknown>;
    }
    container[path[path.length - 1] as string] = value;
  }
  return out;
}

/** How long one resolver call may take by default (`loadConfig({ resolveTimeoutMs })`). */
export const DEFAULT_RESOLVE_TIMEOUT_MS = 10_000;

/** How many resolver calls run at once; the others wait, and their deadline starts when they start. */
export const MAX_CONCURRENT_RESOLVES = 16;

/**
 * Replaces the string values that a resolver matches (`ENC[age,…]`, `vault:…`) in each layer, before
 * coercion and validation. Results are cached per input string, so an unchanged ciphertext or reference
 * is not resolved again (the cache keeps only the strings of the latest build), and per layer data
 * object, so an unchanged layer costs nothing. Each call has a deadline (`TIMEOUT`) and settles when the
 * build's signal aborts, even if the resolver ignores it. Its output is held to the plain-data rules of
 * `set()`. A failure is a `SECRET` ConfigError naming the source and the path, never the value.
 */
export class ResolverStage {
  private values = new Map<string, Promise<unknown>>();
  private nextValues = new Map<string, Promise<unknown>>();
  private readonly layers = new WeakMap<object, ResolvedLayer>();
  private readonly limiter = new Limiter(MAX_CONCURRENT_RESOLVES);

  constructor(
    private readonly resolvers: readonly Resolver[],
    private readonly timeoutMs: number = DEFAULT_RESOLVE_TIMEOUT_MS,
  ) {}

  /** Whether any resolver is configured. */
  get active(): boolean {
    return this.resolvers.length > 0;
  }

  /** The layer's data with resolved values (the same object when nothing matched). */
  async resolveLayer(data: ConfigData, source: string, signal?: AbortSignal): Promise<ResolvedLayer> {
    const known = this.layers.get(data);
    if (known) return known;
    const found: Array<{ path: string[]; value: string; resolver: Resolver }> = [];
    collect(data, [], this.resolvers, found);
    const resolvedBy = new Map<string, string>();
    const results = await Promise.all(
      found.map(({ path, value, resolver }) => this.resolveValue(value, resolver, path, source, signal)),
    );
    const out = replaceAll(
      data,
      found.map(({ path }, index) => [path, results[index]] as const),
    );
    for (const { path, resolver } of found) resolvedBy.set(pathKey(path), resolver.name);
    const layer = { data: out as ConfigData, resolvedBy };
    this.layers.set(data, layer);
    return layer;
  }

  /** Forgets the cached strings that the latest build did not use. Call after each build. */
  endBuild(): void {
    this.values = this.nextValues;
    this.nextValues = new Map();
  }

  private resolveValue(
    value: string,
    resolver: Resolver,
    path: readonly string[],
    source: string,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const key = `${resolver.name}\u0000${value}`;
    let pending = this.values.get(key) ?? this.nextValues.get(key);
    if (!pending) {
      const where = formatPath(path);
      const call = (): Promise<unknown> =>
        withDeadline(
          (callSignal) => resolver.resolve(value, { path, source, signal: callSignal }),
          this.timeoutMs,
          () =>
            new ConfigError(
              'TIMEOUT',
              `${source}: ${where}: the ${resolver.name} resolver did not answer within ${this.timeoutMs} ms`,
              { source, path: where },
            ),
          signal,
        );
      pending = raceSignal(
        this.limiter.run(() => (signal?.aborted ? Promise.reject(abortError(signal)) : call())),
        signal,
      )
        .then((output) => plainOutput(output, resolver, where, source))
        .catch((error: unknown) => {
          this.values.delete(key);
          this.nextValues.delete(key);
          throw signal?.aborted ? error : secretError(error, resolver, path, source);
        });
    }
    this.nextValues.set(key, pending);
    return pending;
  }
}

/** A resolver's output as plain config data, or a SECRET error naming source and path (never the value). */
function plainOutput(output: unknown, resolver: Resolver, where: string, source: string): unknown {
  try {
    return toPlainValue(output, where);
  } catch (error) {
    const reason = error instanceof ConfigError ? error.message : 'not configuration data';
    throw new ConfigError(
      'SECRET',
      `${source}: ${where}: the ${resolver.name} resolver returned a value that is not configuration data (${reason})`,
      { source, path: where },
    );
  }
}

function secretError(
  error: unknown,
  resolver: Resolver,
  path: readonly string[],
  source: string,
): ConfigError {
  const where = formatPath(path);
  if (error instanceof ConfigError) {
    return error.source === undefined ? error.withSource(source) : error;
  }
  return new ConfigError(
    'SECRET',
    `${source}: ${where}: the ${resolver.name} resolver failed: ${describeThrown(error)}`,
    { source, path: where, cause: error },
  );
}

/** The text of anything thrown, never throwing itself (a hostile `toString` or `message` getter). */
function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message);
    if (typeof error === 'symbol') return error.toString();
    return String(error);
  } catch {
    return 'an error that cannot be shown as text';
  }
}

/** Origins that add `resolvedBy` to the origin of every resolved value. */
export function withResolvedBy(
  origins: OriginMap | undefined,
  resolvedBy: ReadonlyMap<string, string>,
): OriginMap | undefined {
  if (resolvedBy.size === 0) return origins;
  return {
    lookup(path) {
      const origin = origins?.lookup(path);
      const name = resolvedBy.get(pathKey(path));
      if (name === undefined) return origin;
      return { ...(origin ?? {}), resolvedBy: name } as Origin;
    },
  };
}
