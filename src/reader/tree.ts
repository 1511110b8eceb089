/** Small pure helpers over plain config trees. */
import { isDeepStrictEqual } from 'node:util';

/** Keys that would reach an object's prototype if assigned; never stored in a tree. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/** Whether a value is a plain object (a config branch), not an array, null or class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Sets `value` at `path` inside `root`, creating branches as needed. A scalar standing in the way is
 * replaced by a branch. `__proto__` segments are ignored (the write is dropped).
 */
export function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  if (path.some((segment) => UNSAFE_KEYS.has(segment))) return;
  let node = root;
  for (let index = 0; index < path.length - 1; index++) {
    const key = path[index] as string;
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (isPlainObject(next)) {
      node = next;
    } else {
      const branch: Record<string, unknown> = {};
      node[key] = branch;
      node = branch;
    }
  }
  node[path[path.length - 1] as string] = value;
}

/** Canonical array indexes only: `"0"`, `"12"`; not `"01"`, `"-1"` or `"length"`. */
const INDEX = /^(?:0|[1-9]\d*)$/;

/** Whether `key` names an entry of `node`: an own key of an object, or an index of an array. */
function hasEntry(node: unknown, key: string): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return INDEX.test(key) && Number(key) < node.length;
  return Object.hasOwn(node, key);
}

/** The one walk of getPath and hasPath: the value at `path`, or MISSING (distinct from a stored `undefined`). */
const MISSING: unique symbol = Symbol('missing');
function walk(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (!hasEntry(node, key)) return MISSING;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Reads the value at `path` (own properties only; array indexes as strings, never `length`). */
export function getPath(root: unknown, path: readonly string[]): unknown {
  const value = walk(root, path);
  return value === MISSING ? undefined : value;
}

/** Whether a value exists at `path` (own properties and array indexes only). */
export function hasPath(root: unknown, path: readonly string[]): boolean {
  return walk(root, path) !== MISSING;
}

/** Deep-freezes a tree in place and returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * Deep-freezes a tree that is already frozen except along `paths` (a path-copied snapshot): freezes the
 * objects on each path and deep-freezes the subtree at its end. Cost: the changed paths, not the tree.
 */
export function freezeAlong<T>(root: T, paths: readonly (readonly string[])[]): T {
  for (const path of paths) {
    let node: unknown = root;
    for (const key of path) {
      if (node === null || typeof node !== 'object') break;
      Object.freeze(node);
      node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
    }
    deepFreeze(node);
  }
  if (root !== null && typeof root === 'object') Object.freeze(root);
  return root;
}

/**
 * Deep equality of config trees: plain objects and arrays key by key (NaN equals NaN); any other
 * object (a Date or URL a schema produced, a Map) by `util.isDeepStrictEqual`, so a change inside it
 * is a change.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const arrayA = Array.isArray(a);
  if (arrayA !== Array.isArray(b)) return false;
  if (!arrayA && !(isPlainObject(a) && isPlainObject(b))) return isDeepStrictEqual(a, b);
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.hasOwn(b, key)) return false;
    if (!deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * A copy of `root` with `value` at `path` (the key removed when `value` is undefined), copying only the
 * objects along the path: every other subtree is shared with `root`, which is never modified.
 * A non-object standing in the way is replaced by a branch.
 */
export function withPath(root: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  // Nothing to delete below a missing branch.
  if (value === undefined && !isPlainObject(root)) return root;
  const [key, ...rest] = path as [string, ...string[]];
  const node: Record<string, unknown> = isPlainObject(root) ? root : {};
  const had = Object.hasOwn(node, key);
  const child = withPath(had ? node[key] : undefined, rest, value);
  if (child === undefined) {
    if (!had) return node;
    return copyObject(node, key);
  }
  if (had && node[key] === child) return node;
  const copy = copyObject(node);
  copy[key] = child;
  return copy;
}

/**
 * A shallow copy of a plain object (`__proto__` keys stay own data keys), leaving `omit` out. A key
 * loop: object spread is ~2.5× slower on objects with thousands of keys (V8's dictionary mode), which
 * a `set()` on a wide object pays once per level.
 */
function copyObject(node: Record<string, unknown>, omit?: string): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(node);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    if (key === omit) continue;
    if (key === '__proto__')
      Object.defineProperty(copy, key, {
        value: node[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[key] = node[key];
  }
  return copy;
}

/** The deepest nesting livecfg accepts; deeper documents are rejected before anything recurses into them. */
export const MAX_DEPTH = 1000;

/** The nesting depth of a tree (a scalar is 0), found without recursion; stops counting past `limit`. */
export function depthOf(root: unknown, limit = MAX_DEPTH): number {
  if (root === null || typeof root !== 'object') return 0;
  let deepest = 0;
  const nodes: object[] = [root];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop() as Record<string, unknown>;
    const depth = depths.pop() as number;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const key in node) {
      const child = node[key];
      if (child !== null && typeof child === 'object' && Object.hasOwn(node, key)) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return deepest;
}
