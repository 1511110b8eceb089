/**
 * One subscription to the Vault source's `watch()`: poll `metadata/` (one small request) every
 * interval and read `data/` only when the current version or its state moved. An outage is reported
 * once, however many polls it spans and whatever each says (refused, reset, socket closed, 503…), and
 * its end once: the first good poll hands the data over again, unchanged or not, so the loader knows
 * the source is healthy.
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
  /** The kind of the failure reported and still lasting ({@link failureKind}); undefined while healthy. */
  private failing: string | undefined;

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
        await this.poll(this.controller.signal, this.failing === 'unavailable' || this.failing === 'denied');
        this.backoff.reset();
        this.failing = undefined;
        delay = this.timing.intervalMs;
      } catch (error) {
        if (this.stopped) return;
        const failure = toConfigError(error, 'SOURCE_READ', this.host.name);
        const kind = failureKind(failure);
        if (kind !== this.failing) this.host.report(failure);
        this.failing = kind;
        const backoff =
          failure.code === 'PERMISSION'
            ? this.timing.backoff.maxMs
            : Math.max(this.timing.intervalMs, this.backoff.next());
        delay = Math.max(backoff, this.host.retryAfter?.(error) ?? 0);
      }
    }
  }

  /** One poll; `recovering` (after an outage) hands the data over even when it did not change. */
  private async poll(signal: AbortSignal, recovering: boolean): Promise<void> {
    const baseline = this.host.baseline();
    const fingerprint = await this.host.fingerprint(signal);
    if (fingerprint === baseline.fingerprint && !recovering) return;
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
    if (changeSet.checksum !== baseline.checksum || recovering) this.subscriber.next(changeSet);
  }
}

/**
 * What a failure is, for reporting once: `unavailable` (no answer, a reset, a timeout, a 5xx or a
 * page that is not Vault's: one outage, whatever each poll says), `denied` (403), or the message of
 * any other failure (a deleted secret…).
 */
function failureKind(error: ConfigError): string {
  if (error.code === 'PERMISSION') return 'denied';
  if (error.code === 'SOURCE_READ' || error.code === 'TIMEOUT') return 'unavailable';
  return `other: ${error.message}`;
}
