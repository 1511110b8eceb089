import { buildFull } from '../loader/build.js';
import { layerSpecs } from '../loader/layer-specs.js';
import { Loader } from '../loader/loader.js';
import { readAll } from '../loader/read.js';
import { ResolveMemo } from '../loader/resolve-memo.js';
import { ResolverStage } from '../loader/resolvers.js';
import { shapeOf } from '../reader/schema-shape.js';
import type { Source } from '../source-kit/source.js';
import type { LoadOptions } from './types.js';

/**
 * Reads every source, builds and validates the first snapshot and returns the loader holding it (not
 * yet watching). When it fails, it closes the sources it was given first, so that no client keeps the
 * process alive.
 */
export async function bootstrap(options: LoadOptions): Promise<Loader> {
  const sources: readonly Source[] = options.sources ?? [];
  const settings = {
    schema: options.schema,
    shape: options.schema ? shapeOf(options.schema) : undefined,
    defaults: structuredClone(options.defaults ?? {}),
    resolvers: options.resolvers ?? [],
    debounceMs: options.debounceMs ?? 2,
    readTimeoutMs: options.readTimeoutMs ?? 30_000,
    watchBackoff: options.watchBackoff,
    historySize: options.history ?? 100,
    incremental: options.incremental ?? true,
    parsers: options.parsers ?? [],
  };
  const memo = new ResolveMemo();
  const resolvers = new ResolverStage(settings.resolvers);
  const context = { parsers: options.parsers ?? [] };
  try {
    for (const source of sources) source.attach?.(context);
    const read = await readAll(sources, settings.readTimeoutMs, options.signal);
    const result = await buildFull(layerSpecs(settings.defaults, read, {}), {
      schema: settings.schema,
      shape: settings.shape,
      memo,
      resolvers,
      signal: options.signal,
    });
    options.signal?.throwIfAborted();
    return new Loader(settings, sources, read, result, memo, resolvers);
  } catch (error) {
    await Promise.allSettled(sources.map((source) => source.close?.()));
    throw error;
  }
}
