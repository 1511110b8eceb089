import { pathKey } from '../reader/provenance.js';
import { getPath } from '../reader/tree.js';

/** Receives the new value of a watched path. */
export type PathListener = (value: unknown) => void;

interface Group {
  path: readonly string[];
  last: unknown;
  listeners: Set<PathListener>;
}

/**
 * Subscribers indexed by path, so that publishing a change visits only the groups on or under the
 * changed paths: O(changed keys × depth), not O(subscribers). Relies on snapshots sharing unchanged
 * subtrees (see `reconcile`): a value whose identity did not change did not change.
 */
export class PathFanout {
  private readonly groups = new Map<string, Group>();
  /** For every proper ancestor key of a watched path: the groups below it. */
  private readonly below = new Map<string, Set<Group>>();

  /** Adds a listener for `path`; `current` is the path's value in the current snapshot. Returns the remover. */
  add(path: readonly string[], current: unknown, listener: PathListener): () => void {
    const key = pathKey(path);
    let group = this.groups.get(key);
    if (!group) {
      group = { path, last: current, listeners: new Set() };
      this.groups.set(key, group);
      for (let end = 0; end < path.length; end++) this.indexBelow(pathKey(path.slice(0, end)), group, true);
    }
    group.listeners.add(listener);
    const owner = group;
    return () => {
      owner.listeners.delete(listener);
      if (owner.listeners.size > 0 || this.groups.get(key) !== owner) return;
      this.groups.delete(key);
      for (let end = 0; end < path.length; end++) this.indexBelow(pathKey(path.slice(0, end)), owner, false);
    };
  }

  /** Delivers the new snapshot to the groups on or under the changed paths whose value changed. */
  publish(root: unknown, changedPaths: readonly (readonly string[])[]): void {
    const visit = new Set<Group>();
    for (const changed of changedPaths) {
      for (let end = 0; end <= changed.length; end++) {
        const group = this.groups.get(pathKey(changed.slice(0, end)));
        if (group) visit.add(group);
      }
      const under = this.below.get(pathKey(changed));
      if (under) for (const group of under) visit.add(group);
    }
    for (const group of visit) {
      const value = getPath(root, group.path);
      if (Object.is(value, group.last)) continue;
      group.last = value;
      for (const listener of [...group.listeners]) listener(value);
    }
  }

  /** How many distinct paths are watched. */
  get size(): number {
    return this.groups.size;
  }

  private indexBelow(ancestor: string, group: Group, add: boolean): void {
    let set = this.below.get(ancestor);
    if (add) {
      if (!set) {
        set = new Set();
        this.below.set(ancestor, set);
      }
      set.add(group);
    } else if (set) {
      set.delete(group);
      if (set.size === 0) this.below.delete(ancestor);
    }
  }
}
