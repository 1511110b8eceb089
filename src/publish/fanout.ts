import { getPath } from '../reader/tree.js';

/** Receives the new value of a watched path. */
export type PathListener = (value: unknown) => void;

interface Group {
  path: readonly string[];
  last: unknown;
  listeners: Set<PathListener>;
  /** The publication that last visited this group (each group is delivered once per publication). */
  seen: number;
}

/** A node of the trie of watched paths: the group watching exactly here, and how many groups are at or below. */
interface Node {
  children: Map<string, Node> | undefined;
  group: Group | undefined;
  count: number;
}

const newNode = (): Node => ({ children: undefined, group: undefined, count: 0 });

/**
 * Subscribers indexed by path in a trie, so that publishing a change visits only the trie nodes along
 * the changed paths, and stops where nobody watches: O(changed keys × watched depth), and nothing at
 * all without watchers. Relies on snapshots sharing unchanged subtrees (see `reconcile`): a value
 * whose identity did not change did not change.
 */
export class PathFanout {
  private readonly root = newNode();
  private publication = 0;

  /** Adds a listener for `path`; `current` is the path's value in the current snapshot. Returns the remover. */
  add(path: readonly string[], current: unknown, listener: PathListener): () => void {
    let node = this.root;
    const trail: Node[] = [node];
    for (const key of path) {
      node.children ??= new Map();
      let child = node.children.get(key);
      if (!child) {
        child = newNode();
        node.children.set(key, child);
      }
      node = child;
      trail.push(node);
    }
    if (!node.group) {
      node.group = { path: [...path], last: current, listeners: new Set(), seen: 0 };
      for (const step of trail) step.count++;
    }
    const group = node.group;
    group.listeners.add(listener);
    return () => {
      if (!group.listeners.delete(listener) || group.listeners.size > 0) return;
      if (trail[trail.length - 1]?.group !== group) return;
      (trail[trail.length - 1] as Node).group = undefined;
      for (const step of trail) step.count--;
      // Prune the branches nobody watches any more.
      for (let depth = path.length; depth > 0; depth--) {
        const step = trail[depth] as Node;
        if (step.count > 0) break;
        (trail[depth - 1] as Node).children?.delete(path[depth - 1] as string);
      }
    };
  }

  /** Delivers the new snapshot to the groups on or under the changed paths whose value changed. */
  publish(root: unknown, changedPaths: readonly (readonly string[])[]): void {
    if (this.root.count === 0) return;
    const stamp = ++this.publication;
    const visit: Group[] = [];
    const mark = (group: Group | undefined): void => {
      if (group === undefined || group.seen === stamp) return;
      group.seen = stamp;
      visit.push(group);
    };
    for (const changed of changedPaths) {
      let node: Node | undefined = this.root;
      for (const key of changed) {
        mark(node.group);
        node = node.children?.get(key);
        if (node === undefined) break;
      }
      if (node !== undefined) collect(node, mark);
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
    return this.root.count;
  }
}

/** Marks every group at or below `node`. */
function collect(node: Node, mark: (group: Group | undefined) => void): void {
  mark(node.group);
  if (node.children) for (const child of node.children.values()) if (child.count > 0) collect(child, mark);
}
