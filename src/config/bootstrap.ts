import { raceSignal } from '../loader/abort.js';
import { buildFull } from '../loader/build.js';
import { layerSpecs } from '../loader/layer-specs.js';
import type { Bootstrapped, LoaderSettings } from '../loader/loader.js';
import { readAll } from '../loader/read.js';
import { ResolveMemo } from '../loader/resolve-memo.js';
import { DEFAULT_RESOLVE_TIMEOUT_MS, ResolverStage } from '../loader/resolvers.js';
import { shapeOf } from '../reader/schema-shape.js';
import type { Source } from '../source-kit/source.js';
import type { LoadOptions } from './types.js';

/** The loader's settings from `loadConfig`'s options, with their defaults. */
function settingsOf(options: LoadOptions): LoaderSettings {
  return {
    schema: options.schema,
    shape: options.schema ? shapeOf(options.schema) : undefined,
    defaults: structuredClone(options.defaults ?? {}),
    resolvers: options.resolvers ?? [],
    debounceMs: options.debounceMs ?? 2,
    readTimeoutMs: options.readTimeoutMs ?? 30_000,
    resolveTimeoutMs: options.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS,
    watchBackoff: options.watchBackoff,
    historySize: options.history ?? 100,
    incremental: options.incremental ?? true,
    parsers: options.parsers ?? [],
  };
}

/**
 * Reads every source and builds and validates the first snapshot, for the loader to hold. Every await
 * honours `options.signal` (its abort rejects at once, even while a resolver or a schema hangs). When
 * it fails, it closes the sources it was given first, so that no client keeps the process alive.
 */
export async function bootstrap(options: LoadOptions): Promise<Bootstrapped> {
  const sources: readonly Source[] = options.sources ?? [];
  const { signal } = options;
  const settings = settingsOf(options);
  const memo = new ResolveMemo();
  const resolvers = new ResolverStage(settings.resolvers, settings.resolveTimeoutMs);
  try {
    for (const source of sources) source.attach?.({ parsers: settings.parsers });
    const initial = await readAll(sources, settings.readTimeoutMs, signal);
    const context = { schema: settings.schema, shape: settings.shape, memo, resolvers, signal };
    const result = await raceSignal(buildFull(layerSpecs(settings.defaults, initial, {}), context), signal);
    signal?.throwIfAborted();
    return { settings, sources, initial, result, memo, resolvers };
  } catch (error) {
    await Promise.allSettled(sources.map((source) => source.close?.()));
    throw error;
  }
}
