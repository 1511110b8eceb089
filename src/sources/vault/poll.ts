/**
 * One subscription to the Vault source's `watch()`: poll `metadata/` (one small request) every
 * interval and read `data/` only when the current version or its state moved.
 */

import { ConfigError, toConfigError } from '../../reader/errors.js';
import type { Observable, Subscriber } from '../../rx/index.js';
import { Backoff, type BackoffOptions } from '../../source-kit/backoff.js';
import type { ChangeSet } from '../../source-kit/source.js';
import { type LoopTracker, loopWatch, WatchLoop } from '../../source-kit/watch-loop.js';

/** What the loop needs from its source. */
export interface PollHost {
  readonly name: string;
  /** The fingerprint of the current version (`3:live`, `absent`…): one metadata request. */
  fingerprint(signal: AbortSignal): Promise<string>;
  /** Reads the data: the ChangeSet and the fingerprint it was read at. Throws NOT_FOUND and other ConfigErrors. */
  load(signal: AbortSignal): Promise<{ changeSet: ChangeSet; fingerprint: string }>;
  /** The fingerprint and checksum last handed to the loader, if any. */
  baseline(): { fingerprint: string | undefined; checksum: string | undefined };
  /** Records what was handed to the loader. */
  accept(fingerprint: string, checksum: string | undefined): void;
  /** Reports a non-fatal error to the source's `onError` listeners. */
  report(error: ConfigError): void;
  /** The delay a failed request's server asked for (`Retry-After`), if any. */
  retryAfter?(error: unknown): number | undefined;
}

/** Timing of the loop. */
export interface PollTiming {
  intervalMs: number;
  /** Delays after failures; a `PERMISSION` error waits `maxMs` at once (retrying the same token cannot help). */
  backoff: Required<Pick<BackoffOptions, 'initialMs' | 'maxMs'>> & Pick<BackoffOptions, 'random'>;
}

/** The cold observable behind `watch()`; `track` registers the loop so `close()` can end it. */
export function watchByPolling(
  host: PollHost,
  timing: PollTiming,
  track: LoopTracker,
): Observable<ChangeSet> {
  return loopWatch(track, (subscriber) => new PollLoop(host, timing, subscriber));
}

class PollLoop extends WatchLoop {
  private readonly backoff: Backoff;
  /** The message of the last failure reported, so a lasting failure is reported once. */
  private lastFailure: string | undefined;

  constructor(
    private readonly host: PollHost,
    private readonly timing: PollTiming,
    subscriber: Subscriber<ChangeSet>,
  ) {
    super(host.name, subscriber);
    this.backoff = new Backoff(timing.backoff);
  }

  protected async run(): Promise<void> {
    let delay = this.timing.intervalMs;
    while (!this.stopped) {
      await this.sleep(delay);
      if (this.stopped) return;
      this.controller = new AbortController();
      try {
        await this.poll(this.controller.signal);
        this.backoff.reset();
        this.lastFailure = undefined;
        delay = this.timing.intervalMs;
      } catch (error) {
        if (this.stopped) return;
        const failure = toConfigError(error, 'SOURCE_READ', this.host.name);
        if (failure.message !== this.lastFailure) this.host.report(failure);
        this.lastFailure = failure.message;
        const backoff =
          failure.code === 'PERMISSION'
            ? this.timing.backoff.maxMs
            : Math.max(this.timing.intervalMs, this.backoff.next());
        delay = Math.max(backoff, this.host.retryAfter?.(error) ?? 0);
      }
    }
  }

  private async poll(signal: AbortSignal): Promise<void> {
    const baseline = this.host.baseline();
    const fingerprint = await this.host.fingerprint(signal);
    if (fingerprint === baseline.fingerprint) return;
    let loaded: Awaited<ReturnType<PollHost['load']>>;
    try {
      loaded = await this.host.load(signal);
    } catch (error) {
      // A deleted secret is reported once; later polls compare against it and cost one request again.
      if (error instanceof ConfigError && error.code === 'NOT_FOUND')
        this.host.accept(fingerprint, baseline.checksum);
      throw error;
    }
    const { changeSet, fingerprint: readAt } = loaded;
    if (this.stopped) return;
    this.host.accept(readAt, changeSet.checksum);
    if (changeSet.checksum !== baseline.checksum) this.subscriber.next(changeSet);
  }
}
