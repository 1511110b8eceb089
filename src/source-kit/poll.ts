/**
 * A watch by polling, for sources without a push API (HTTP, Vault KV): one loop per subscription,
 * a delay after each answer (an interval, or none for a long poll the server holds), the kit's
 * capped, jittered backoff after failures, each distinct failure reported once, and timers and
 * requests that never keep the process alive and stop at once on unsubscribe or close. The loop is
 * {@link PollLoop}; this is its public face.
 */
import type { ChangeSet } from '../reader/contract.js';
import type { ConfigError } from '../reader/errors.js';
import type { Observable } from '../rx/index.js';
import type { BackoffOptions } from './backoff.js';
import { PollLoop } from './poll-loop.js';
import { loopWatch } from './watch-loop.js';

/** What a polling watch needs from its source. */
export interface PollHost {
  /** The source's name, for errors. */
  readonly name: string;
  /**
   * One poll: the new ChangeSet, or `undefined` when nothing changed (a 304, an equal checksum).
   * Rejects with a ConfigError; must honour `signal`.
   */
  poll(signal: AbortSignal): Promise<ChangeSet | undefined>;
  /** The delay before the next poll after a successful one (`elapsedMs`: how long that poll took). */
  delayAfterSuccess(elapsedMs: number): number;
  /** Reports a non-fatal error (the source's `onError` listeners). */
  report(error: ConfigError): void;
  /** Delays after failures; a `PERMISSION` failure waits the longest delay at once (no storm). */
  readonly backoff: BackoffOptions;
}

/** Where the source keeps its loops so that `close()` can end them. */
export interface PollRegistry {
  /** Registers a loop's `complete`; returns its unregistration, or `undefined` when closed. */
  add(complete: () => void): (() => void) | undefined;
}

/**
 * The cold observable of a polling watch. The first poll runs after the first delay (the loader has
 * just read).
 *
 * @example
 * watch() { return pollingWatch(this.pollHost, { add: (end) => this.closed ? undefined : track(end) }); }
 */
export function pollingWatch(host: PollHost, registry: PollRegistry): Observable<ChangeSet> {
  const maxMs = host.backoff.maxMs;
  return loopWatch(
    (loop) => registry.add(() => loop.complete()),
    (subscriber) =>
      new PollLoop(
        {
          name: host.name,
          backoff: host.backoff,
          poll: (signal) => host.poll(signal),
          firstDelay: () => host.delayAfterSuccess(Number.POSITIVE_INFINITY),
          delayAfterSuccess: (elapsedMs) => host.delayAfterSuccess(elapsedMs),
          delayAfterFailure: (failure, _error, backoff) =>
            failure.code === 'PERMISSION' && maxMs !== undefined ? maxMs : backoff.next(),
          report: (failure) => host.report(failure),
        },
        subscriber,
      ),
  );
}
