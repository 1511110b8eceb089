/**
 * One subscription to the Consul source's `watch()`: a blocking-query loop that follows Consul's
 * client rules (api-docs/features/blocking, `api/watch/plan.go`).
 */

import { type ConfigError, toConfigError } from '../../reader/errors.js';
import type { Observable, Subscriber } from '../../rx/index.js';
import { Backoff, type BackoffOptions } from '../../source-kit/backoff.js';
import type { ChangeSet } from '../../source-kit/source.js';
import { type LoopTracker, loopWatch, WatchLoop } from '../../source-kit/watch-loop.js';
import type { KvResult } from './client.js';

/** What a watch loop needs from its source. */
export interface WatchHost {
  readonly name: string;
  /** One blocking read: answers when the index passes `index` or the wait runs out; rejects with a ConfigError. */
  query(index: number, signal: AbortSignal): Promise<KvResult>;
  /** Builds the ChangeSet of a result; throws `NOT_FOUND`/`PARSE` ConfigErrors. */
  decode(result: KvResult): ChangeSet | Promise<ChangeSet>;
  /** The checksum last handed to the loader (by a read or an emission), if any. */
  baseline(): string | undefined;
  /** Records a checksum handed to the loader. */
  accept(checksum: string): void;
  /** Reports a non-fatal error to the source's `onError` listeners. */
  report(error: ConfigError): void;
}

/** Timing knobs of the loop. */
export interface WatchTiming {
  /** Retry delays after failures (exponential with jitter); a 403 waits `maxMs` straight away. */
  backoff: Required<Pick<BackoffOptions, 'initialMs' | 'maxMs'>> & Pick<BackoffOptions, 'random'>;
  /**
   * Spurious wake-ups (a new index, same data) allowed in a burst, then one per this many ms: Consul's
   * advice to rate-limit blocking loops, so churn elsewhere cannot make the loop spin.
   */
  spuriousWakeIntervalMs: number;
}

/**
 * The next `index` to send (Consul's rules): reset to 0 when the index went backwards (snapshot
 * restore, a reaped tombstone), and never below 1 otherwise.
 */
export function nextIndex(previous: number, received: number): number {
  if (received < previous) return 0;
  return Math.max(received, 1);
}

/**
 * The cold observable behind `watch()`. `track` registers each loop so `close()` can end it; it
 * returns the unregister function, or `undefined` when the source is closed (the subscriber then
 * completes at once).
 */
export function watchBlocking(
  host: WatchHost,
  timing: WatchTiming,
  track: LoopTracker,
): Observable<ChangeSet> {
  return loopWatch(track, (subscriber) => new BlockingLoop(host, timing, subscriber));
}

const BURST = 2;

class BlockingLoop extends WatchLoop {
  private index = 0;
  private checksum: string | undefined;
  /** The message of the last decode failure reported (NOT_FOUND, PARSE), until a good result. */
  private lastFailure: string | undefined;
  /** Whether this loop emitted already (its first emission carries no delta). */
  private emitted = false;
  private readonly backoff: Backoff;
  private tokens = BURST;
  private refilledAt = Date.now();

  constructor(
    private readonly host: WatchHost,
    private readonly timing: WatchTiming,
    subscriber: Subscriber<ChangeSet>,
  ) {
    super(host.name, subscriber);
    this.backoff = new Backoff(timing.backoff);
  }

  override start(): void {
    this.checksum = this.host.baseline();
    super.start();
  }

  protected async run(): Promise<void> {
    while (!this.stopped) {
      this.controller = new AbortController();
      let result: KvResult;
      try {
        result = await this.host.query(this.index, this.controller.signal);
      } catch (error) {
        if (this.stopped) return;
        const failure = toConfigError(error, 'SOURCE_READ', this.host.name);
        this.host.report(failure);
        // A denied token will not fix itself soon: wait the longest delay, no retry storm.
        await this.pause(failure.code === 'PERMISSION' ? this.timing.backoff.maxMs : this.backoff.next());
        continue;
      }
      if (this.stopped) return;
      this.backoff.reset();
      const previous = this.index;
      this.index = nextIndex(previous, result.index);
      // The same index again is a timeout: nothing changed.
      if (previous !== 0 && result.index === previous) continue;
      if (!(await this.deliver(result))) await this.pause(this.spuriousWakeDelay());
    }
  }

  /**
   * Emits the result when its content differs from the last one delivered. Returns false for a
   * spurious wake-up: same content, or the same decode failure as last time (a missing key's index
   * moves with every write elsewhere; that is not a new failure to report).
   */
  private async deliver(result: KvResult): Promise<boolean> {
    let changeSet: ChangeSet;
    try {
      changeSet = await this.host.decode(result);
    } catch (error) {
      const failure = toConfigError(error, 'PARSE', this.host.name);
      if (failure.message === this.lastFailure) return false;
      this.lastFailure = failure.message;
      this.host.report(failure);
      return true;
    }
    this.lastFailure = undefined;
    if (this.stopped) return true;
    if (changeSet.checksum === this.checksum) return false;
    this.checksum = changeSet.checksum;
    this.host.accept(changeSet.checksum);
    this.subscriber.next(this.withoutFirstDelta(changeSet));
    return true;
  }

  /**
   * The first emission of a loop is whole (no delta): the loader may not have the state the previous
   * loop decoded last (it may have stopped between decoding and emitting). Later ones keep theirs.
   */
  private withoutFirstDelta(changeSet: ChangeSet): ChangeSet {
    if (this.emitted) return changeSet;
    this.emitted = true;
    if (changeSet.delta === undefined) return changeSet;
    const { delta: _dropped, ...whole } = changeSet;
    return whole;
  }

  /** Token bucket over spurious wake-ups: 0 while the burst lasts, then the refill interval. */
  private spuriousWakeDelay(): number {
    const interval = this.timing.spuriousWakeIntervalMs;
    const now = Date.now();
    if (interval > 0) {
      const refill = Math.floor((now - this.refilledAt) / interval);
      if (refill > 0) {
        this.tokens = Math.min(BURST, this.tokens + refill);
        this.refilledAt += refill * interval;
      }
    }
    if (this.tokens > 0) {
      this.tokens--;
      return 0;
    }
    return Math.max(0, this.refilledAt + interval - now);
  }

  /** Sleeps `ms`; no wait at all for 0 (a wake-up within the burst). */
  private pause(ms: number): Promise<void> {
    return ms <= 0 ? Promise.resolve() : this.sleep(ms);
  }
}
