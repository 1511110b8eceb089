import type { ConfigData, Parser, Resolver } from '../reader/contract.js';
import type { StandardSchemaV1 } from '../reader/standard-schema.js';
import type { Source } from '../source-kit/source.js';

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
  /** Backoff of a broken source watch before resubscribing (the source kit's defaults: 200 ms doubling to 10 s, jittered). */
  watchBackoff?: { initialMs?: number; maxMs?: number };
  /**
   * Replace matching string values (ciphertexts, secret references) before coercion and validation,
   * at startup and on every reload; every value they produce is secret for redaction.
   */
  resolvers?: readonly Resolver[];
  /**
   * How long one resolver call may take before the change fails with `TIMEOUT` naming the source and
   * path (default 10,000 ms). The resolver's `signal` aborts then, and the queue moves on.
   */
  resolveTimeoutMs?: number;
  /**
   * Apply a change that carries a delta (`set()`, `memory.set()`, etcd and Consul events) along its
   * paths only (default true). `false` rebuilds the whole tree on every change: slower, and equal by
   * construction (a property test holds it), so it is only for debugging.
   */
  incremental?: boolean;
  /**
   * Parsers for this config (no global registry): a file whose extension a parser lists is read with
   * it, unless its `file()` call names a `parser` or `format`. `livecfg/parsers` ships json5 and xml.
   */
  parsers?: readonly Parser[];
  /** How many published changes `config.history()` keeps (default 100). */
  history?: number;
  /**
   * Extra secret paths for redaction (`db.url`, `tenants.*.dsn`, `labels."a.b"`, or key arrays where
   * `*` is any one key), besides key names and schema marks. An unreadable path: `INVALID_ARGUMENT`.
   */
  secrets?: readonly (string | readonly string[])[];
  /** Aborts the startup: `loadConfig` rejects with an `AbortError` and closes the sources. */
  signal?: AbortSignal;
}

/** Options of `watch(path, options)`. */
export interface WatchOptions {
  /** Emit the current value on subscribe (default true). */
  emitCurrent?: boolean;
}

/** Options of `values(path, options)`. */
export interface ValuesOptions extends WatchOptions {
  /** Ends the iteration: the pending `next()` rejects with an `AbortError`. */
  signal?: AbortSignal;
}

export type { ChangeDetail, ConfigChange, HistoryEntry, SourceStatus } from '../publish/types.js';
export type { Explanation } from '../reader/explain.js';
