import type { ChangeSet, ConfigData } from '../reader/contract.js';
import { isClosedError } from './abort.js';
import type { Plan } from './commit.js';
import type { SourceEntry, SourceSet } from './source-set.js';

/** What the retry policy needs: the sources, the current overrides and the commit. */
export interface SourceChangeContext {
  sources: SourceSet;
  overrides(): ConfigData;
  commit(plan: Plan): Promise<void>;
}

type Paths = (readonly string[])[];

/**
 * Takes each source's newest ChangeSet of a burst as its latest data. Returns the sources that
 * changed, each with the paths its deltas touched (chained from the committed data), or `undefined`
 * when a full diff is needed.
 */
function gather(
  pending: ReadonlyMap<SourceEntry, readonly ChangeSet[]>,
): Map<SourceEntry, Paths | undefined> {
  const changed = new Map<SourceEntry, Paths | undefined>();
  for (const [entry, list] of pending) {
    if (entry.removed) continue;
    const last = list[list.length - 1] as ChangeSet;
    if (last.checksum === entry.latest.checksum && entry.latest === entry.committed) continue;
    // Deltas chain only from the data the snapshot holds.
    let paths: Paths | undefined = entry.latest === entry.committed ? [] : undefined;
    for (const changeSet of list) {
      if (!paths || !changeSet.delta) paths = undefined;
      else paths.push(...changeSet.delta.set.map(([path]) => path), ...changeSet.delta.deleted);
    }
    entry.latest = last;
    changed.set(entry, paths);
  }
  return changed;
}

/**
 * The retry policy of source changes. Every reload merges every source's latest data, so a state that
 * becomes valid through another source's edit is published. When that fails, each change is tried
 * alone over the last published data, so that one source's bad change cannot hold back another's
 * valid one; the failure is reported and the bad data stays pending until it is fixed.
 */
export async function applySourceChanges(
  pending: ReadonlyMap<SourceEntry, readonly ChangeSet[]>,
  context: SourceChangeContext,
): Promise<void> {
  const { sources } = context;
  const changed = gather(pending);
  if (changed.size === 0) return;
  const [only] = changed.size === 1 ? changed.keys() : [undefined];
  const alone = only !== undefined && sources.cleanExcept(only);
  try {
    await context.commit({
      entries: sources.entries,
      changeSets: sources.entries.map((entry) => entry.latest),
      overrides: context.overrides(),
      trigger: [...changed.keys()].map((entry) => entry.source.name),
      delta: alone ? { layer: sources.entries.indexOf(only) + 1, paths: changed.get(only) } : undefined,
    });
    return;
  } catch (error) {
    if (isClosedError(error)) return;
    if (alone) {
      sources.rejected(only, error);
      return;
    }
  }
  for (const entry of changed.keys()) {
    try {
      await context.commit({
        entries: sources.entries,
        changeSets: sources.entries.map((item) => (item === entry ? item.latest : item.committed)),
        overrides: context.overrides(),
        trigger: [entry.source.name],
      });
    } catch (error) {
      if (isClosedError(error)) return;
      sources.rejected(entry, error);
    }
  }
}
