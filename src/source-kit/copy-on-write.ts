/**
 * Copy-on-write edits of plain trees for {@link KeyTree}: a batch copies each node on a changed path
 * once and changes its own copies in place, so trees already handed out are never mutated and
 * unchanged branches are shared. Also the checksum hash.
 */
import type { ConfigData } from '../reader/contract.js';
import { isPlainObject } from '../reader/tree.js';
import { assignKey, ownValue } from './tree-builder.js';

/** Two FNV-1a style hashes of a path and its value, combined by XOR into the checksum. */
export function hashEntry(key: string, raw: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const text = `${key}\u0000${raw}`;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  return [a >>> 0, b >>> 0];
}

/** Copy-on-write writer: `startBatch()` before each batch; nodes it created in the batch are its own. */
export class CopyOnWrite {
  private fresh = new WeakSet<object>();

  /** Starts a batch; `owned` nodes (new roots) may be changed in place. */
  startBatch(...owned: object[]): void {
    this.fresh = new WeakSet(owned);
  }

  private copy<T extends object>(node: T, clone: (node: T) => T): T {
    if (this.fresh.has(node)) return node;
    const copied = clone(node);
    this.fresh.add(copied);
    return copied;
  }

  /** `node` with `value` at `path` (from `index`), copying the nodes on the way. */
  writeData(node: ConfigData, path: readonly string[], index: number, value: unknown): ConfigData {
    const copy = this.copy(node, (n) => ({ ...n }));
    const key = path[index] as string;
    if (index === path.length - 1) {
      assignKey(copy, key, value);
      return copy;
    }
    const child = ownValue(copy, key);
    assignKey(
      copy,
      key,
      this.writeData(isPlainObject(child) ? child : this.newNode(), path, index + 1, value),
    );
    return copy;
  }

  private newNode(): ConfigData {
    const node = {};
    this.fresh.add(node);
    return node;
  }

  /** `node` without the entry at `path`. */
  deleteData(node: ConfigData, path: readonly string[], index: number): ConfigData {
    const key = path[index] as string;
    if (!Object.hasOwn(node, key)) return node;
    const copy = this.copy(node, (n) => ({ ...n }));
    if (index === path.length - 1) {
      delete copy[key];
      return copy;
    }
    const child = copy[key];
    if (isPlainObject(child)) assignKey(copy, key, this.deleteData(child, path, index + 1));
    return copy;
  }
}

/** The value at `path`, own keys only; `undefined` when absent. */
export function valueAt(root: ConfigData, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = ownValue(node as Record<string, unknown>, key);
  }
  return node;
}

/** The highest prefix of `path` that existed in `before` and is gone in `after`. */
export function vanished(
  before: ConfigData,
  after: ConfigData,
  path: readonly string[],
): string[] | undefined {
  let old: unknown = before;
  let now: unknown = after;
  for (let index = 0; index < path.length; index++) {
    const key = path[index] as string;
    if (!isPlainObject(old) || !Object.hasOwn(old, key)) return undefined;
    if (!isPlainObject(now) || !Object.hasOwn(now, key)) return path.slice(0, index + 1);
    old = old[key];
    now = now[key];
  }
  return undefined;
}
