/**
 * Applying resolvers to layers: every string value a resolver matches is replaced by what it
 * resolves to, with a cache per input value. Meant for the loader: call {@link resolveLayers} on the
 * layers of a build, before coercion and validation.
 */
import type { ConfigData, Resolver } from '../reader/contract.js';
import { ConfigError } from '../reader/errors.js';
import { formatPath } from '../reader/path.js';
import { isPlainObject } from '../reader/tree.js';

/** One resolved value: where it is and which resolver produced it. */
export interface ResolvedValue {
  path: readonly string[];
  /** The resolver's `name` (what `explain()` shows as `resolvedBy`). */
  resolvedBy: string;
}

/** A layer after resolution: its data (the same object when nothing matched) and what was resolved. */
export interface ResolvedLayer {
  data: ConfigData;
  resolved: ResolvedValue[];
}

/** A layer to resolve: its data and the name of the source that supplied it. */
export interface LayerToResolve {
  data: ConfigData;
  source: string;
}

/**
 * Resolved values by resolver and input value, so that an unchanged ciphertext or reference is not
 * resolved again. A failed resolution is not kept. {@link prune} forgets what the last build did
 * not use, so the cache never outgrows the config.
 */
export class ResolverCache {
  private entries = new Map<string, Promise<unknown>>();
  private used = new Set<string>();
  /** Layers already resolved, by their input data object: an unchanged layer is not walked again. */
  private readonly layers = new WeakMap<ConfigData, { result: ResolvedLayer; keys: string[] }>();

  /** The earlier result for this very data object (and marks its values used), if any. */
  layer(data: ConfigData): ResolvedLayer | undefined {
    const memo = this.layers.get(data);
    if (memo === undefined) return undefined;
    for (const key of memo.keys) {
      if (!this.entries.has(key)) return undefined;
      this.used.add(key);
    }
    return memo.result;
  }

  /** Remembers the result for a data object. */
  remember(data: ConfigData, result: ResolvedLayer, keys: string[]): void {
    this.layers.set(data, { result, keys });
  }

  /** The cache key of a value. */
  static key(resolver: Resolver, value: string): string {
    return `${resolver.name}\0${value}`;
  }

  /** The cached or new resolution of `value` by `resolver`. */
  get(resolver: Resolver, value: string, make: () => Promise<unknown>): Promise<unknown> {
    const key = ResolverCache.key(resolver, value);
    this.used.add(key);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = make();
      this.entries.set(key, entry);
      entry.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
    }
    return entry;
  }

  /** Forgets every entry not asked for since the last prune. */
  prune(): void {
    for (const key of [...this.entries.keys()]) if (!this.used.has(key)) this.entries.delete(key);
    this.used = new Set();
  }

  /** How many values are cached. */
  get size(): number {
    return this.entries.size;
  }
}

interface Task {
  path: string[];
  resolver: Resolver;
  value: string;
}

/** Finds the matching strings under `node`; `path` is a stack, copied only for a match. */
function collect(node: unknown, path: string[], resolvers: readonly Resolver[], tasks: Task[]): void {
  if (typeof node === 'string') {
    for (const resolver of resolvers) {
      if (resolver.matches(node)) {
        tasks.push({ path: [...path], resolver, value: node });
        return;
      }
    }
  } else if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index++) {
      path.push(String(index));
      collect(node[index], path, resolvers, tasks);
      path.pop();
    }
  } else if (isPlainObject(node)) {
    for (const key of Object.keys(node)) {
      path.push(key);
      collect(node[key], path, resolvers, tasks);
      path.pop();
    }
  }
}

function define(target: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy of `root` with each value set at its path, copying each container on those paths once and
 * sharing everything else. Keys are defined, never assigned, so no key can reach a prototype.
 */
function withValues(
  root: ConfigData,
  updates: ReadonlyArray<readonly [readonly string[], unknown]>,
): ConfigData {
  if (updates.length === 0) return root;
  const copies = new Map<object, Record<string, unknown> | unknown[]>();
  const copyOf = (node: object): Record<string, unknown> | unknown[] => {
    let copy = copies.get(node);
    if (copy === undefined) {
      copy = Array.isArray(node) ? [...node] : { ...(node as Record<string, unknown>) };
      copies.set(node, copy);
    }
    return copy;
  };
  const top = copyOf(root) as ConfigData;
  for (const [path, value] of updates) {
    let original: unknown = root;
    let copy: Record<string, unknown> | unknown[] = top;
    for (const key of path.slice(0, -1)) {
      original = (original as Record<string, unknown>)[key];
      const next = copyOf(original as object);
      define(copy, key, next);
      copy = next;
    }
    define(copy, path[path.length - 1]!, value);
  }
  return top;
}

/**
 * Resolves every matching string value of every layer, all at once (so that resolvers can batch:
 * references to one Vault secret share one read). The first failure, in layer and path order, rejects
 * as the resolver's ConfigError (naming source and path); a non-ConfigError becomes `SECRET`.
 *
 * @example
 * const cache = new ResolverCache();
 * const [layer] = await resolveLayers([{ data, source: 'file:app.yaml' }], [ageDecrypt({ identityFile })], cache);
 */
export async function resolveLayers(
  layers: readonly LayerToResolve[],
  resolvers: readonly Resolver[],
  cache: ResolverCache,
  signal?: AbortSignal,
): Promise<ResolvedLayer[]> {
  const known = layers.map((layer) => cache.layer(layer.data));
  const perLayer = layers.map((layer, index) => {
    const tasks: Task[] = [];
    if (resolvers.length > 0 && known[index] === undefined) collect(layer.data, [], resolvers, tasks);
    return tasks;
  });
  const settled = await Promise.all(
    perLayer.map((tasks, index) =>
      Promise.allSettled(
        tasks.map((task) => {
          const context = { path: task.path, source: layers[index]!.source, ...(signal ? { signal } : {}) };
          return cache.get(task.resolver, task.value, () => task.resolver.resolve(task.value, context));
        }),
      ),
    ),
  );
  for (const [index, results] of settled.entries()) {
    for (const [taskIndex, result] of results.entries()) {
      if (result.status === 'fulfilled') continue;
      const task = perLayer[index]![taskIndex]!;
      const source = layers[index]!.source;
      if (result.reason instanceof ConfigError) throw result.reason;
      throw new ConfigError(
        'SECRET',
        `${source}: ${formatPath(task.path)}: the ${task.resolver.name} resolver failed`,
        { source, path: formatPath(task.path), cause: result.reason },
      );
    }
  }
  return layers.map((layer, index) => {
    const earlier = known[index];
    if (earlier !== undefined) return earlier;
    const tasks = perLayer[index]!;
    const updates = tasks.map(
      (task, taskIndex) =>
        [task.path, (settled[index]![taskIndex] as PromiseFulfilledResult<unknown>).value] as const,
    );
    const result = {
      data: withValues(layer.data, updates),
      resolved: tasks.map((task) => ({ path: task.path, resolvedBy: task.resolver.name })),
    };
    cache.remember(
      layer.data,
      result,
      tasks.map((task) => ResolverCache.key(task.resolver, task.value)),
    );
    return result;
  });
}
