/**
 * The one polling loop of livecfg's sources (the http source through {@link pollingWatch}, Vault's
 * metadata polls): a delay, one poll, the next delay after its success or failure, each lasting
 * failure reported once. A {@link WatchLoop}, so `stop()` ends its request and its sleep at once.
 */
import type { ChangeSet } from '../reader/contract.js';
import { type ConfigError, toConfigError } from '../reader/errors.js';
import type { Subscriber } from '../rx/index.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { WatchLoop } from './watch-loop.js';

/** What differs between the sources that poll: the poll itself and the delays. */
export interface PollSteps {
  /** The source's name, for errors. */
  readonly name: string;
  /**
   * One poll: the ChangeSet to hand over, or `undefined` when nothing changed. `failing` is the
   * {@link PollSteps.failureKind} of the failure that lasts until this poll, if any. Must honour `signal`.
   */
  poll(signal: AbortSignal, failing: string | undefined): Promise<ChangeSet | undefined>;
  /** The delay before the first poll. */
  firstDelay(): number;
  /** The delay after a successful poll that took `elapsedMs`. */
  delayAfterSuccess(elapsedMs: number): number;
  /** The delay after a failure; `backoff` is the loop's, to draw the next backoff delay from. */
  delayAfterFailure(failure: ConfigError, error: unknown, backoff: Backoff): number;
  /** What a failure is, for reporting a lasting one once (default: its message). */
  failureKind?(failure: ConfigError): string;
  /** Reports a non-fatal error (the source's `onError` listeners). */
  report(failure: ConfigError): void;
  /** The loop's backoff settings. */
  readonly backoff: BackoffOptions;
}

/** A polling loop over {@link PollSteps}: one per subscription. */
export class PollLoop extends WatchLoop {
  private readonly backoff: Backoff;
  /** The kind of the failure reported and still lasting; undefined while healthy. */
  private failing: string | undefined;

  constructor(
    private readonly steps: PollSteps,
    subscriber: Subscriber<ChangeSet>,
  ) {
    super(steps.name, subscriber);
    this.backoff = new Backoff(steps.backoff);
  }

  protected async run(): Promise<void> {
    let delay = this.steps.firstDelay();
    while (!this.stopped) {
      await this.sleep(Math.max(0, delay));
      if (this.stopped) return;
      this.controller = new AbortController();
      const started = performance.now();
      try {
        const changeSet = await this.steps.poll(this.controller.signal, this.failing);
        if (this.stopped) return;
        this.backoff.reset();
        this.failing = undefined;
        if (changeSet !== undefined) this.subscriber.next(changeSet);
        delay = this.steps.delayAfterSuccess(performance.now() - started);
      } catch (error) {
        if (this.stopped) return;
        const failure = toConfigError(error, 'SOURCE_READ', this.steps.name);
        const kind = this.steps.failureKind?.(failure) ?? failure.message;
        if (kind !== this.failing) this.steps.report(failure);
        this.failing = kind;
        delay = this.steps.delayAfterFailure(failure, error, this.backoff);
      }
    }
  }
}
