import type { ChangeSet, Parser } from '../reader/contract.js';
import type { ConfigError } from '../reader/errors.js';
import type { Origin } from '../reader/provenance.js';
import type { Observable } from '../rx/index.js';

// The types a source's own files name most; the rest of the contract comes from reader/contract.ts.
export type { ChangeSet, Parser, ResolveContext, Resolver } from '../reader/contract.js';

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
  /**
   * Describes one of this source's origins for messages and the inspector (`"http https://cfg/app.json
   * (ETag "x")"`); `undefined` falls back to the built-in descriptions. Lets a new source explain its
   * own origins without editing a shared file.
   */
  describeOrigin?(origin: Origin): string | undefined;
  /**
   * Called once by the loader before the first `read()`, with what the config offers every source
   * (e.g. the parsers of `loadConfig({ parsers })`, which `file()` uses by extension). Optional.
   */
  attach?(context: SourceContext): void;
  /** Releases clients and handles. */
  close?(): Promise<void>;
}

/** What the loader hands to {@link Source.attach}: the config's own settings that sources may use. */
export interface SourceContext {
  /** Parsers from `loadConfig({ parsers })`, mapping file extensions (first match wins). */
  readonly parsers: readonly Parser[];
}
