/** The public option and event types of `loadConfig` and `Config`. */
import type { StandardSchemaV1 } from './reader/standard-schema.js';
import type { ConfigData, Source } from './sources/source.js';
import type { DeepReadonly } from './types.js';

/** Options of {@link loadConfig}. */
export interface LoadOptions<S extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined> {
  /** Any Standard Schema (zod 4, valibot, arktype): types, coerces and validates every snapshot. */
  schema?: S;
  /** The lowest-priority layer. */
  defaults?: ConfigData;
  /** Sources in priority order: later wins. */
  sources?: readonly Source[];
  /** Watch sources and reload live (default true). Never keeps the process alive. */
  watch?: boolean;
  /** How long a source read may take before it fails with `TIMEOUT` (default 30,000 ms). */
  readTimeoutMs?: number;
  /** How long to gather source changes into one reload (default 2 ms). */
  debounceMs?: number;
  /** Backoff of a broken source watch before resubscribing (default 100 ms doubling to 30 s). */
  watchBackoff?: { initialMs?: number; maxMs?: number };
}

/** One published change. */
export interface ConfigChange<T = Record<string, unknown>> {
  version: number;
  previous: DeepReadonly<T>;
  current: DeepReadonly<T>;
  /** Dotted paths of the changed leaves. */
  changed: string[];
  /** What triggered it: a source's name, or `set`, `delete`, `sync`. */
  source: string;
}

/** Options of `watch(path, options)`. */
export interface WatchOptions {
  /** Emit the current value on subscribe (default true). */
  emitCurrent?: boolean;
}

export type { Explanation } from './reader/explain.js';
