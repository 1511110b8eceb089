import { formatPath } from '../reader/path.js';
import { deepFreeze, freezeAlong } from '../reader/tree.js';
import { LazySubject } from '../rx/lazy.js';
import { reconcile, reconcileAt } from './diff.js';
import { PathFanout } from './fanout.js';
import { HistoryLog } from './history.js';
import { Snapshot } from './snapshot.js';
import type { Candidate, ConfigChange, HistoryEntry } from './types.js';

/**
 * The last step of the transaction: diffs a built candidate against the current snapshot, swaps in
 * the new deep-frozen snapshot (identity shared wherever content did not change), records it in the
 * history and delivers it on `changes` and to path subscribers (`fanout`).
 */
export class Publisher {
  readonly changes = new LazySubject<ConfigChange<Record<string, unknown>>>();
  readonly fanout = new PathFanout();
  private readonly history: HistoryLog;

  constructor(
    public snapshot: Snapshot,
    historySize: number,
  ) {
    this.history = new HistoryLog(historySize);
  }

  /** Publishes `result`; returns whether the content changed (nothing is delivered when it did not). */
  publish(result: Candidate, trigger: readonly string[]): boolean {
    const previous = this.snapshot;
    const roots = result.valueRoots;
    const { value, changedPaths } = roots
      ? reconcileAt(previous.value, result.value, roots)
      : reconcile(previous.value, result.value);
    if (changedPaths.length === 0) {
      this.snapshot = previous.withLayers(result.layers);
      return false;
    }
    const frozen = roots ? freezeAlong(value, roots) : deepFreeze(value);
    this.snapshot = new Snapshot(frozen, previous.version + 1, result.layers);
    const source = triggerText(trigger);
    this.history.record({
      version: this.snapshot.version,
      timestamp: new Date().toISOString(),
      source,
      changedPaths,
      previous: previous.value,
      current: value,
      previousLayers: previous.layers,
      layers: result.layers,
    });
    if (this.changes.observed) {
      this.changes.next(
        changeEvent(this.snapshot.version, previous.value, value, changedPaths, source, trigger),
      );
    }
    this.fanout.publish(value, changedPaths);
    return true;
  }

  /** The published changes, newest first. */
  historyEntries(): HistoryEntry[] {
    return this.history.list();
  }
}

/** `ConfigChange.source`: the one trigger's name, or the names joined for display (`sources` lists them). */
function triggerText(trigger: readonly string[]): string {
  return trigger.length === 1 ? (trigger[0] as string) : trigger.join(', ');
}

/**
 * The change event. `changed` (a dotted path per changed leaf) is formatted on first read, once: a
 * full reload of a big document changes every leaf, and most subscribers never read every path.
 */
function changeEvent(
  version: number,
  previous: unknown,
  current: unknown,
  changedPaths: readonly (readonly string[])[],
  source: string,
  trigger: readonly string[],
): ConfigChange<Record<string, unknown>> {
  const event = {
    version,
    previous: previous as ConfigChange['previous'],
    current: current as ConfigChange['current'],
    get changed(): string[] {
      const changed = changedPaths.map(formatPath);
      Object.defineProperty(event, 'changed', { value: changed, enumerable: true, writable: true });
      return changed;
    },
    source,
    sources: [...trigger],
  };
  return event;
}
