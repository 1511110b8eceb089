import type { ChangeSet } from '../reader/contract.js';
import { closedError } from './abort.js';

/**
 * Serialises reload transactions and gathers bursts of source changes: changes that arrive within
 * `debounceMs` are applied together, and the latest ChangeSet of each source wins (deltas of the
 * ChangeSets it replaces are dropped with them: the loader then rebuilds that source fully). On
 * close, the running transaction and every queued one reject with `CLOSED` at once, even when the
 * running one never settles.
 */
export class ReloadQueue<K> {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = new Map<K, ChangeSet[]>();
  private timer: NodeJS.Timeout | undefined;
  /** Settles once the batch the timer is gathering has been applied. */
  private batchDone: Promise<unknown> | undefined;
  private closed = false;
  /** Rejects each transaction that has not settled yet (queued or running), for close(). */
  private readonly unsettled = new Set<(error: Error) => void>();

  constructor(
    private readonly debounceMs: number,
    private readonly apply: (pending: ReadonlyMap<K, readonly ChangeSet[]>) => Promise<void>,
  ) {}

  /** Queues a source's new ChangeSet (all of a burst are kept, in order, so deltas can be chained). */
  push(key: K, changeSet: ChangeSet): void {
    if (this.closed) return;
    const list = this.pending.get(key);
    if (list) list.push(changeSet);
    else this.pending.set(key, [changeSet]);
    if (this.timer) return;
    let done: (() => void) | undefined;
    this.batchDone = new Promise<void>((resolve) => {
      done = resolve;
    });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const batch = this.pending;
      this.pending = new Map();
      void this.run(() => this.apply(batch))
        .catch(() => undefined)
        .finally(done);
    }, this.debounceMs);
    // Deliberately not unref'd: it lives a few ms, only while a change is pending, and lets a
    // script that awaits that change see it instead of exiting first.
  }

  /** Runs a transaction after every earlier one; resolves or rejects with it, or with `CLOSED`. */
  run<R>(transaction: () => Promise<R>): Promise<R> {
    if (this.closed) return Promise.reject(closedError());
    let cancel!: (error: Error) => void;
    const cancelled = new Promise<never>((_resolve, reject) => {
      cancel = reject;
    });
    this.unsettled.add(cancel);
    const start = (): Promise<R> => (this.closed ? Promise.reject(closedError()) : transaction());
    const result = Promise.race([this.tail.then(start, start), cancelled]).finally(() =>
      this.unsettled.delete(cancel),
    );
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every change queued so far has been applied (published or rejected). */
  async settled(): Promise<void> {
    while (this.timer || this.batchDone) {
      const batch = this.batchDone;
      await batch;
      if (this.batchDone === batch) this.batchDone = undefined;
    }
    await this.tail;
  }

  /** Drops pending changes, stops the timer and rejects every unsettled transaction with `CLOSED`. */
  close(): void {
    this.closed = true;
    for (const cancel of [...this.unsettled]) cancel(closedError());
    clearTimeout(this.timer);
    this.timer = undefined;
    this.batchDone = undefined;
    this.pending.clear();
  }
}
