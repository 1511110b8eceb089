/**
 * A watch by polling, for sources without a push API (HTTP, Vault KV): one loop per subscription,
 * a delay after each answer (an interval, or none for a long poll the server holds), the kit's
 * capped, jittered backoff after failures, each distinct failure reported once, and timers and
 * requests that never keep the process alive and stop at once on unsubscribe or close.
 */
import type { ChangeSet } from '../reader/contract.js';
import { type ConfigError, toConfigError } from '../reader/errors.js';
import type { Observable } from '../rx/index.js';
import { observable } from '../rx/lazy.js';
import { Backoff, type BackoffOptions } from './backoff.js';

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
  return observable<ChangeSet>((subscriber) => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let controller: AbortController | undefined;
    let lastReported: string | undefined;
    const backoff = new Backoff(host.backoff);
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
    };
    const untrack = registry.add(() => {
      stop();
      subscriber.complete();
    });
    if (untrack === undefined) {
      subscriber.complete();
      return undefined;
    }
    const schedule = (ms: number) => {
      if (stopped) return;
      timer = setTimeout(run, Math.max(0, ms));
      timer.unref();
    };
    const run = async () => {
      controller = new AbortController();
      const started = performance.now();
      try {
        const changeSet = await host.poll(controller.signal);
        if (stopped) return;
        backoff.reset();
        lastReported = undefined;
        if (changeSet !== undefined) subscriber.next(changeSet);
        schedule(host.delayAfterSuccess(performance.now() - started));
      } catch (error) {
        if (stopped) return;
        const failure = toConfigError(error, 'SOURCE_READ', host.name);
        if (failure.message !== lastReported) {
          lastReported = failure.message;
          host.report(failure);
        }
        const maxMs = host.backoff.maxMs;
        schedule(failure.code === 'PERMISSION' && maxMs !== undefined ? maxMs : backoff.next());
      }
    };
    schedule(host.delayAfterSuccess(Number.POSITIVE_INFINITY));
    return () => {
      untrack();
      stop();
    };
  });
}
