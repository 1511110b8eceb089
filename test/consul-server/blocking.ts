/**
 * Blocking queries (`agent/blockingquery`): run the query; while its index is not greater than the
 * client's `index`, wait for a write in the watched scope, the timeout, or an abandon (reset).
 */
import type { KvStore, StoreChange } from './store.js';

/** Consul's default and maximum `wait`, and its jitter divisor (`structs.JitterFraction`). */
export const DEFAULT_WAIT_MS = 5 * 60_000;
export const MAX_WAIT_MS = 10 * 60_000;
export const JITTER_FRACTION = 16;

/** What a blocking query watches: one key, or every key under a prefix. */
export type WatchScope = { readonly key: string } | { readonly prefix: string };

/** Why a wait ended. */
export type WakeReason = 'change' | 'timeout' | 'abandon' | 'closed';

interface Waiter {
  readonly scope: WatchScope;
  wake(reason: WakeReason): void;
}

/**
 * The timeout of a blocking query for a requested `wait`: unset or ≤ 0 gives 5 min, more than 10 min
 * is cut to 10 min, then a random extra of up to wait/16 is added.
 */
export function queryTimeout(waitMs: number | undefined, random: () => number = Math.random): number {
  let wait = waitMs === undefined || waitMs <= 0 ? DEFAULT_WAIT_MS : waitMs;
  if (wait > MAX_WAIT_MS) wait = MAX_WAIT_MS;
  return wait + random() * (wait / JITTER_FRACTION);
}

function inScope(scope: WatchScope, key: string): boolean {
  return 'key' in scope ? scope.key === key : key.startsWith(scope.prefix);
}

/** The set of parked blocking queries, woken by store changes. */
export class BlockingQueries {
  private readonly waiters = new Set<Waiter>();

  constructor(store: KvStore) {
    store.onChange((change) => this.notify(change));
  }

  /** How many requests are parked right now. */
  get pending(): number {
    return this.waiters.size;
  }

  /**
   * Runs `run` as a blocking query: returns at once when `minIndex` is 0 or the result's index is
   * already greater; else re-runs it after each write in `scope` until its index passes `minIndex`,
   * and returns the current result at the timeout or on an abandon. Returns `undefined` when the
   * client went away (`signal`) or the server closed.
   */
  async run<T extends { index: number }>(
    scope: WatchScope,
    minIndex: bigint,
    timeoutMs: number,
    signal: AbortSignal,
    run: () => T,
    onPark?: () => void,
  ): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    let parked = false;
    for (;;) {
      const result = run();
      if (minIndex === 0n || BigInt(result.index) > minIndex) return result;
      if (!parked) onPark?.();
      parked = true;
      const reason = await this.wait(scope, Math.max(0, deadline - Date.now()), signal);
      if (reason === 'closed') return undefined;
      if (reason !== 'change') return run();
    }
  }

  /** Ends every parked query (server close or down). */
  closeAll(): void {
    for (const waiter of [...this.waiters]) waiter.wake('closed');
  }

  private wait(scope: WatchScope, timeoutMs: number, signal: AbortSignal): Promise<WakeReason> {
    if (signal.aborted) return Promise.resolve('closed');
    return new Promise((resolve) => {
      const waiter: Waiter = {
        scope,
        wake: (reason) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          this.waiters.delete(waiter);
          resolve(reason);
        },
      };
      const onAbort = () => waiter.wake('closed');
      const timer = setTimeout(() => waiter.wake('timeout'), timeoutMs);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  private notify(change: StoreChange): void {
    for (const waiter of [...this.waiters]) {
      if (change.kind === 'abandon') waiter.wake('abandon');
      else if (change.keys.some((key) => inScope(waiter.scope, key))) waiter.wake('change');
    }
  }
}
