/** Exponential backoff with "full jitter" (AWS style), capped. Pure: the caller owns the timer. */
export interface BackoffOptions {
  /** First delay in ms (default {@link DEFAULT_BACKOFF}.initialMs, 200). */
  initialMs?: number;
  /** Largest delay in ms (default {@link DEFAULT_BACKOFF}.maxMs, 10,000). */
  maxMs?: number;
  /** Random source in [0, 1) (default Math.random), injectable for tests. */
  random?: () => number;
}

/**
 * The one set of retry defaults of every livecfg source and of the loader's resubscription: the first
 * retry after 100–200 ms, doubling to a cap of 5–10 s. A server that is down sees at most one request
 * per source every 5–10 s.
 */
export const DEFAULT_BACKOFF: Readonly<Required<Pick<BackoffOptions, 'initialMs' | 'maxMs'>>> = Object.freeze(
  {
    initialMs: 200,
    maxMs: 10_000,
  },
);

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
    this.initialMs = Math.max(1, options.initialMs ?? DEFAULT_BACKOFF.initialMs);
    this.maxMs = Math.max(this.initialMs, options.maxMs ?? DEFAULT_BACKOFF.maxMs);
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
