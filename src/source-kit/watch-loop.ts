/**
 * The lifecycle shared by a source's long-running watch loops (Consul's blocking queries, Vault's
 * polls): one loop per subscription, registered with the source so `close()` can end it, an abort
 * controller for the pending request, and an unref'd sleep that `stop()` cuts short.
 */
import type { ChangeSet } from '../reader/contract.js';
import { toConfigError } from '../reader/errors.js';
import type { Observable, Subscriber } from '../rx/index.js';
import { observable } from '../rx/lazy.js';

/**
 * Registers a loop so `close()` can complete it; returns the unregistration, or `undefined` when the
 * source is closed already.
 */
export type LoopTracker = (loop: { complete(): void }) => (() => void) | undefined;

/**
 * A watch loop: subclasses implement `run()` (it returns when the loop ends) and use `stopped`,
 * `controller`, `subscriber` and `sleep()`. A rejection of `run()` errors the subscriber as a
 * `SOURCE_READ` ConfigError unless the loop was stopped.
 */
export abstract class WatchLoop {
  protected stopped = false;
  /** The pending request's controller; `stop()` aborts it. */
  protected controller: AbortController | undefined;
  private wakeSleeper: (() => void) | undefined;

  constructor(
    /** The source's name, for errors. */
    protected readonly sourceName: string,
    protected readonly subscriber: Subscriber<ChangeSet>,
  ) {}

  /** The loop itself; returns when stopped. */
  protected abstract run(): Promise<void>;

  /** Starts the loop. */
  start(): void {
    this.run().catch((error: unknown) => {
      if (!this.stopped) this.subscriber.error(toConfigError(error, 'SOURCE_READ', this.sourceName));
    });
  }

  /** Stops at once: aborts the pending request and any sleep. */
  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.wakeSleeper?.();
  }

  /** Stops and completes the subscriber (the source was closed). */
  complete(): void {
    this.stop();
    this.subscriber.complete();
  }

  /** Waits `ms` on an unref'd timer (resolves at once when stopped; `stop()` wakes it). */
  protected sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.wakeSleeper = wake;
    });
  }
}

/**
 * The cold observable of a watch made of loops: each subscription creates a loop, registers it with
 * `track` (completing at once when the source is closed), starts it, and stops it on unsubscribe.
 */
export function loopWatch(
  track: LoopTracker,
  createLoop: (subscriber: Subscriber<ChangeSet>) => WatchLoop,
): Observable<ChangeSet> {
  return observable<ChangeSet>((subscriber) => {
    const loop = createLoop(subscriber);
    const untrack = track(loop);
    if (untrack === undefined) {
      subscriber.complete();
      return undefined;
    }
    loop.start();
    return () => {
      untrack();
      loop.stop();
    };
  });
}
