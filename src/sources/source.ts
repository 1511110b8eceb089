import type { Observable } from 'rxjs';
import type { ConfigError } from '../reader/errors.js';
import type { OriginMap } from '../reader/provenance.js';

/** Tree data as a source supplies it: plain objects, arrays and scalars. */
export type ConfigData = Record<string, unknown>;

/**
 * What the reader knows about key names when it merges a layer: the schema's keys and the keys of
 * the layers below. Env and flag sources use it to map `APP_LIMITS_MAX_CONNECTIONS` to `limits.maxConnections`.
 */
export interface KeyHints {
  /** The known child key names of the object at `path` (empty when none are known). */
  childKeys(path: readonly string[]): readonly string[];
}

/** Data shaped against the key hints, for sources whose key names are ambiguous (env). */
export interface ResolvedData {
  data: ConfigData;
  origins?: OriginMap;
}

/**
 * One read of one source, as it passes through the pipeline (go-config's ChangeSet).
 * `checksum` identifies the content: equal checksums mean nothing changed.
 */
export interface ChangeSet {
  data: ConfigData;
  origins?: OriginMap;
  checksum: string;
  /** The name of the source that produced it. */
  source: string;
  timestamp: Date;
  /**
   * Optional late shaping: called by the reader at merge time with the key hints; its result
   * replaces `data` and `origins`. Must be pure.
   */
  resolve?(hints: KeyHints): ResolvedData;
}

/**
 * A place configuration comes from. Implement it to write your own source.
 *
 * @example
 * const source: Source = { name: 'static', read: async () => ({ data: { a: 1 }, checksum: '1', source: 'static', timestamp: new Date() }) };
 */
export interface Source {
  /** Human-readable identity: "file:config/app.yaml", "env:APP_", "consul:config/app/". */
  readonly name: string;
  /** Reads the current data. Must honour `signal` (abort = stop and reject). */
  read(signal?: AbortSignal): Promise<ChangeSet>;
  /**
   * Cold observable of changes: emits a ChangeSet per change (it may start with the current data, so
   * that nothing changed between `read()` and the subscription is lost: the loader dedupes by
   * checksum); an error means the watch broke
   * (the loader reports it and resubscribes with backoff); complete means it will not change again.
   */
  watch?(): Observable<ChangeSet>;
  /**
   * Registers a listener for non-fatal errors a watching source recovers from by itself
   * (e.g. a server that is down); the loader forwards them to `errors$`.
   */
  onError?(listener: (error: ConfigError) => void): void;
  /** Releases clients and handles. */
  close?(): Promise<void>;
}
