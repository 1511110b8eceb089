import type { ConfigData, Resolver } from '../reader/contract.js';
import { ConfigError } from '../reader/errors.js';
import { formatPath } from '../reader/path.js';
import type { Origin, OriginMap } from '../reader/provenance.js';
import { pathKey } from '../reader/provenance.js';
import { isPlainObject } from '../reader/tree.js';

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

/** A copy of `node` with `value` at `path`, copying only the containers along the path (arrays too). */
function replaceAt(node: unknown, path: readonly string[], index: number, value: unknown): unknown {
  if (index === path.length) return value;
  const key = path[index] as string;
  const container = node as Record<string, unknown>;
  const copy: Record<string, unknown> = Array.isArray(node)
    ? ([...node] as unknown as Record<string, unknown>)
    : { ...container };
  copy[key] = replaceAt(container[key], path, index + 1, value);
  return copy;
}

/**
 * Replaces the string values that a resolver matches (`ENC[age,…]`, `vault:…`) in each layer, before
 * coercion and validation. Results are cached per input string, so an unchanged ciphertext or reference
 * is not resolved again (the cache keeps only the strings of the latest build), and per layer data
 * object, so an unchanged layer costs nothing. A failure is a `SECRET` ConfigError naming the source and
 * the path, never the value.
 */
export class ResolverStage {
  private values = new Map<string, Promise<unknown>>();
  private nextValues = new Map<string, Promise<unknown>>();
  private readonly layers = new WeakMap<object, ResolvedLayer>();

  constructor(private readonly resolvers: readonly Resolver[]) {}

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
    let out: unknown = data;
    const results = await Promise.all(
      found.map(({ path, value, resolver }) => this.resolveValue(value, resolver, path, source, signal)),
    );
    found.forEach(({ path, resolver }, index) => {
      out = replaceAt(out, path, 0, results[index]);
      resolvedBy.set(pathKey(path), resolver.name);
    });
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
      pending = resolver.resolve(value, { path, source, signal }).catch((error: unknown) => {
        this.values.delete(key);
        this.nextValues.delete(key);
        throw secretError(error, resolver, path, source);
      });
    }
    this.nextValues.set(key, pending);
    return pending;
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
  const reason = error instanceof Error ? error.message : String(error);
  return new ConfigError('SECRET', `${source}: ${where}: the ${resolver.name} resolver failed: ${reason}`, {
    source,
    path: where,
    cause: error,
  });
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
