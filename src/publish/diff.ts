import { deepEqual, getPath, isPlainObject } from '../reader/tree.js';

/** The result of reconciling a new tree with the previous one. */
export interface Reconciled {
  /** The new tree, reusing every subtree of the previous one that did not change (same identity). */
  value: unknown;
  /**
   * Key arrays of the changed leaves (added, removed or modified). Arrays count as leaves. Dotted
   * paths are formatted by whoever hands them out (see `lazyChanged`), not here for every leaf.
   */
  changedPaths: string[][];
}

/**
 * Diffs `next` against `previous` in one walk and shares unchanged subtrees, so that identity changes
 * only where content changes and `changedPaths` lists exactly the changed leaves. The cost is one
 * comparison per node visited and one path array per changed leaf (no set, no string per path).
 */
export function reconcile(previous: unknown, next: unknown): Reconciled {
  const changedPaths: string[][] = [];
  const value = walk(previous, next, [], changedPaths);
  return { value, changedPaths };
}

function walk(previous: unknown, next: unknown, path: string[], changed: string[][]): unknown {
  if (Object.is(previous, next)) return previous;
  if (isPlainObject(previous) && isPlainObject(next)) return walkObject(previous, next, path, changed);
  if (deepEqual(previous, next)) return previous;
  changedLeaves(previous, next, path, changed);
  return next;
}

/** Lists the leaves under a path whose value differs between `previous` and `next` (not both objects). */
function changedLeaves(previous: unknown, next: unknown, path: string[], changed: string[][]): void {
  const previousBranches = isBranch(previous);
  const nextBranches = isBranch(next);
  // The common case: a leaf replaced by a leaf (or added, or removed) is one path.
  if (!previousBranches && !nextBranches) {
    changed.push(path);
    return;
  }
  // A subtree replaced by a leaf or the other way round: every leaf of both, each listed once.
  const start = changed.length;
  collectLeaves(previous, path, changed);
  const middle = changed.length;
  collectLeaves(next, path, changed);
  if (middle > start && changed.length > middle) dedupeAfter(changed, start, middle);
}

/** A non-empty plain object: its leaves are listed, not itself. */
function isBranch(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const _ in value) return true;
  return false;
}

function walkObject(
  previous: Record<string, unknown>,
  next: Record<string, unknown>,
  path: string[],
  changed: string[][],
): unknown {
  const out: Record<string, unknown> = {};
  const nextKeys = Object.keys(next);
  const previousCount = Object.keys(previous).length;
  let same = previousCount === nextKeys.length;
  let kept = 0;
  for (const key of nextKeys) {
    const nextChild = next[key];
    const had = Object.hasOwn(previous, key);
    if (had) kept++;
    // Shared subtrees (the common case after an incremental patch) cost one comparison, no allocation.
    if (had && Object.is(previous[key], nextChild)) {
      out[key] = nextChild;
      continue;
    }
    const child = walk(had ? previous[key] : undefined, nextChild, [...path, key], changed);
    if (!had || child !== previous[key]) same = false;
    out[key] = child;
  }
  // Keys of `previous` missing from `next`: only looked for when some are (not every key kept).
  if (kept < previousCount) {
    same = false;
    for (const key of Object.keys(previous)) {
      if (!Object.hasOwn(next, key)) collectLeaves(previous[key], [...path, key], changed);
    }
  }
  return same ? previous : out;
}

/** Appends the leaf paths under `value` (itself when it is a leaf or an empty object; nothing for undefined). */
function collectLeaves(value: unknown, path: string[], out: string[][]): void {
  if (value === undefined) return;
  if (isBranch(value)) {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) collectLeaves(object[key], [...path, key], out);
    return;
  }
  out.push(path);
}

/** Removes entries from `middle` on that repeat an entry in [start, middle) (a subtree/leaf swap only). */
function dedupeAfter(paths: string[][], start: number, middle: number): void {
  const seen = new Set(paths.slice(start, middle).map((path) => path.join('\u0000')));
  for (let index = paths.length - 1; index >= middle; index--) {
    if (seen.has((paths[index] as string[]).join('\u0000'))) paths.splice(index, 1);
  }
}

/**
 * {@link reconcile} for a tree that differs from `previous` only at `roots` (disjoint paths; every
 * other subtree is shared): diffs those subtrees alone, so the cost is that of what changed, not of the
 * whole tree. The returned value is `next`.
 */
export function reconcileAt(
  previous: unknown,
  next: unknown,
  roots: readonly (readonly string[])[],
): Reconciled {
  const changedPaths: string[][] = [];
  for (const root of roots) {
    walk(getPath(previous, root), getPath(next, root), [...root], changedPaths);
  }
  return { value: next, changedPaths };
}

/**
 * The changed leaf paths between two trees, as {@link reconcile} finds them, or `undefined` as soon as
 * there are more than `limit` (the caller then rebuilds whole, without paying for the rest of the walk).
 */
export function changedPathsUpTo(previous: unknown, next: unknown, limit: number): string[][] | undefined {
  const changed: string[][] = [];
  const over = { limit };
  try {
    walkLimited(previous, next, [], changed, over);
  } catch (error) {
    if (error === over) return undefined;
    throw error;
  }
  return changed;
}

function walkLimited(
  previous: unknown,
  next: unknown,
  path: string[],
  changed: string[][],
  over: { limit: number },
): void {
  if (Object.is(previous, next)) return;
  if (isPlainObject(previous) && isPlainObject(next)) {
    for (const key of Object.keys(next)) {
      const had = Object.hasOwn(previous, key);
      if (had && Object.is(previous[key], next[key])) continue;
      walkLimited(had ? previous[key] : undefined, next[key], [...path, key], changed, over);
    }
    for (const key of Object.keys(previous)) {
      if (!Object.hasOwn(next, key)) collectLeaves(previous[key], [...path, key], changed);
    }
  } else if (!deepEqual(previous, next)) {
    changedLeaves(previous, next, path, changed);
  }
  if (changed.length > over.limit) throw over;
}
