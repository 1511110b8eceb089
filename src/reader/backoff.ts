/** Exponential backoff with "full jitter" (AWS style), capped. Pure: the caller owns the timer. */
export interface BackoffOptions {
  /** First delay in ms (default 100). */
  initialMs?: number;
  /** Largest delay in ms (default 30,000). */
  maxMs?: number;
  /** Random source in [0, 1) (default Math.random), injectable for tests. */
  random?: () => number;
}

/**
 * Tracks consecutive failures and yields the next delay: a random value between half and all of
 * `min(maxMs, initialMs * 2^failures)`, so retries spread out but never busy-loop.
 *
 * @example
 * const backoff = new Backoff({ initialMs: 50, maxMs: 5000 });
 * setTimeout(retry, backoff.next()).unref();   // after a failure
 * backoff.reset();                              // after a success
 */
export class Backoff {
  private failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /** How many failures in a row so far. */
  get attempts(): number {
    return this.failures;
  }

  /** Forgets the failures (call after a success). */
  reset(): void {
    this.failures = 0;
  }
}
