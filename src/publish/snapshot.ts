import type { Layer } from '../reader/layers.js';
import { type PathInput, toPath } from '../reader/path.js';
import { getPath } from '../reader/tree.js';

/** Most cached path lookups per snapshot; past it the cache starts over. */
const CACHE_LIMIT = 100_000;

/**
 * One published, deep-frozen configuration with its version, its layers (for explain) and a cache of
 * path lookups (string paths are looked up once per snapshot).
 */
export class Snapshot {
  private readonly stringCache = new Map<string, unknown>();
  private readonly arrayCache = new Map<string, unknown>();

  constructor(
    readonly value: unknown,
    readonly version: number,
    readonly layers: readonly Layer[],
  ) {}

  /** The value at a path; cached per snapshot (string and array paths in separate caches). */
  get(path: PathInput): unknown {
    const cache = typeof path === 'string' ? this.stringCache : this.arrayCache;
    const key = typeof path === 'string' ? path : JSON.stringify(path);
    const cached = cache.get(key);
    if (cached !== undefined || cache.has(key)) return cached;
    const value = getPath(this.value, toPath(path));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
    return value;
  }

  /** The same snapshot content with new layers (origins moved, content equal). */
  withLayers(layers: readonly Layer[]): Snapshot {
    return new Snapshot(this.value, this.version, layers);
  }
}
