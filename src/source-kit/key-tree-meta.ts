/**
 * The bookkeeping tree of {@link KeyTree}, shaped like the data tree: a branch counts the leaves below
 * it, a leaf is a compact mark (its store revision; its key and origin only when they cannot be
 * derived from the path). Copied on write like the data tree, so snapshots of it stay valid; a few
 * bytes per leaf instead of a record per key (issue 21: 500,000 etcd keys in ≤ 250 B/leaf).
 */
import type { Origin, OriginMap } from '../reader/provenance.js';

/** A leaf whose key or origin cannot be derived (a key with empty segments, a source without an origin factory). */
export class LeafMeta {
  constructor(
    readonly revision: string | number | undefined,
    readonly key: string | undefined,
    readonly origin: Origin | undefined,
  ) {}
}

/** A leaf: its revision (a number when it is a decimal, else the text), `true` for none, or a {@link LeafMeta}. */
export type LeafMark = number | string | true | LeafMeta;

/** A branch: how many leaves are below it, and its children. */
export class Branch {
  constructor(
    public size: number,
    readonly children: Map<string, Branch | LeafMark>,
  ) {}
}

/** A revision as stored in a mark: decimal text becomes a number (no string per leaf). */
export function compactRevision(revision: string | number | undefined): string | number | undefined {
  if (typeof revision === 'string' && /^[0-9]{1,15}$/.test(revision)) return Number(revision);
  return revision;
}

/** The revision a mark holds. */
export function revisionOf(mark: LeafMark): string | number | undefined {
  if (mark instanceof LeafMeta) return mark.revision;
  return mark === true ? undefined : mark;
}

/** How a leaf's key and origin are derived from its path and mark. */
export interface LeafNaming {
  keyOf(path: readonly string[], mark: LeafMark): string;
  originOf(path: readonly string[], mark: LeafMark): Origin;
}

/** Copy-on-write edits of the meta tree; `startBatch()` before each batch. */
export class MetaTree {
  root = new Branch(0, new Map());
  private fresh = new WeakSet<Branch>();

  /** Starts a batch; `owned` branches (new roots) may be changed in place. */
  startBatch(...owned: Branch[]): void {
    this.fresh = new WeakSet(owned);
  }

  /** Empties the tree (a new root owned by the batch). */
  clear(): void {
    this.root = new Branch(0, new Map());
    this.fresh = new WeakSet([this.root]);
  }

  /** The node at `path`; `undefined` when absent or below a leaf. */
  get(path: readonly string[]): Branch | LeafMark | undefined {
    let node: Branch | LeafMark | undefined = this.root;
    for (const key of path) {
      if (!(node instanceof Branch)) return undefined;
      node = node.children.get(key);
    }
    return node;
  }

  /** The first leaf on the way to `path` (an ancestor of it, or itself), with its path. */
  leafOnPath(path: readonly string[]): { path: string[]; mark: LeafMark } | undefined {
    let node: Branch | LeafMark | undefined = this.root;
    for (let index = 0; index < path.length; index++) {
      if (!(node instanceof Branch)) return undefined;
      node = node.children.get(path[index] as string);
      if (node === undefined) return undefined;
      if (!(node instanceof Branch)) return { path: path.slice(0, index + 1), mark: node };
    }
    return undefined;
  }

  /** Puts a leaf at `path` (no leaf may be on its way: the caller checked). */
  setLeaf(path: readonly string[], mark: LeafMark): void {
    this.root = this.own(this.root);
    let node = this.root;
    node.size++;
    for (let index = 0; index < path.length - 1; index++) {
      const key = path[index] as string;
      const child = node.children.get(key);
      const next = child instanceof Branch ? this.own(child) : this.newBranch();
      node.children.set(key, next);
      next.size++;
      node = next;
    }
    node.children.set(path[path.length - 1] as string, mark);
  }

  /**
   * Removes the leaf at `path` and every ancestor left without leaves; returns how long the highest
   * removed path is (what the data tree must drop too).
   */
  removeLeaf(path: readonly string[]): number {
    this.root = this.own(this.root);
    let node = this.root;
    node.size--;
    for (let index = 0; index < path.length - 1; index++) {
      const key = path[index] as string;
      const child = node.children.get(key) as Branch;
      if (child.size === 1) {
        node.children.delete(key);
        return index + 1;
      }
      const next = this.own(child);
      node.children.set(key, next);
      next.size--;
      node = next;
    }
    node.children.delete(path[path.length - 1] as string);
    return path.length;
  }

  /** Every leaf below `path` (all by default), depth first, in insertion order. */
  *leaves(from: readonly string[] = []): Generator<[string[], LeafMark]> {
    const start = this.get(from);
    if (start === undefined) return;
    if (!(start instanceof Branch)) {
      yield [[...from], start];
      return;
    }
    const stack: Array<[string[], Branch]> = [[[...from], start]];
    while (stack.length > 0) {
      const [at, branch] = stack.pop() as [string[], Branch];
      const nested: Array<[string[], Branch]> = [];
      for (const [key, child] of branch.children) {
        if (child instanceof Branch) nested.push([[...at, key], child]);
        else yield [[...at, key], child];
      }
      for (let index = nested.length - 1; index >= 0; index--)
        stack.push(nested[index] as [string[], Branch]);
    }
  }

  private own(branch: Branch): Branch {
    if (this.fresh.has(branch)) return branch;
    const copy = new Branch(branch.size, new Map(branch.children));
    this.fresh.add(copy);
    return copy;
  }

  private newBranch(): Branch {
    const branch = new Branch(0, new Map());
    this.fresh.add(branch);
    return branch;
  }
}

/** An OriginMap over one meta tree root: a path's origin is that of the leaf on its way. */
export class MetaOriginMap implements OriginMap {
  constructor(
    private readonly root: Branch,
    private readonly naming: LeafNaming,
  ) {}

  lookup(path: readonly string[]): Origin | undefined {
    let node: Branch | LeafMark | undefined = this.root;
    for (let index = 0; index < path.length; index++) {
      if (!(node instanceof Branch)) return undefined;
      node = node.children.get(path[index] as string);
      if (node === undefined) return undefined;
      if (!(node instanceof Branch)) return this.naming.originOf(path.slice(0, index + 1), node);
    }
    return undefined;
  }
}
