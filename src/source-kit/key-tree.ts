/**
 * The keys below a prefix of a key/value store (Consul KV, etcd) as a config tree, kept current by
 * patching: a change to a few keys copies only the branches on their paths (the previous tree is
 * never mutated, so ChangeSets already handed out stay valid) and yields a {@link ChangeSetDelta}.
 */

import { stableStringify } from '../reader/checksum.js';
import type { ChangeSetDelta, ConfigData } from '../reader/contract.js';
import type { ConfigError } from '../reader/errors.js';
import { type Origin, type OriginMap, pathKey } from '../reader/provenance.js';
import { isPlainObject, MAX_DEPTH } from '../reader/tree.js';
import {
  CopyOnWrite,
  hashEntry,
  type OriginNode,
  TreeOriginMap,
  valueAt,
  vanished,
} from './copy-on-write.js';
import { conflictError, ownValue } from './tree-builder.js';

/** One key as the store has it now: its text, or `null` when it was deleted (or is a folder key). */
export interface KeyChange {
  key: string;
  value: string | null;
  origin: Origin;
  /** The store's version of the key (Consul ModifyIndex, etcd mod_revision): compared before the text. */
  revision?: string | number;
}

/** The tree of a {@link KeyTree} at one moment. */
export interface KeyTreeState {
  data: ConfigData;
  origins: OriginMap;
  /** Content checksum of the data (paths and parsed values; not the text, not revisions). */
  checksum: string;
}

/** JSON-parses a stored value when it is valid JSON, else returns the text unchanged. */
export function parseScalar(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return text;
  const first = trimmed.charCodeAt(0);
  // Only text that can be JSON is tried (digits, -, ", [, {, t, f, n): most strings skip the throw.
  if (!(first === 45 || (first >= 48 && first <= 57) || '"[{tfn'.includes(trimmed[0] as string))) return text;
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}

interface Leaf {
  path: string[];
  raw: string;
  origin: Origin;
  revision: string | number | undefined;
  hash: [number, number];
}

/**
 * Keys below `prefix` as a tree: `config/app/server/port` → `server.port`, values JSON-parsed when
 * they parse. Folder keys (ending in the separator, or `null`) and the prefix itself are ignored. A key
 * that is both a value and a branch (`app/db` and `app/db/host`) is a `CONFLICT` naming both keys.
 *
 * @example
 * const tree = new KeyTree({ source: 'etcd:/app/', prefix: '/app/', describe: (key) => `etcd key ${key}` });
 * tree.reset([{ key: '/app/port', value: '80', origin: { etcdKey: '/app/port', modRevision: '5' } }]);
 * const { delta } = tree.apply([{ key: '/app/port', value: '81', origin: { etcdKey: '/app/port', modRevision: '6' } }]);
 */
export class KeyTree {
  private readonly leaves = new Map<string, Leaf>();
  /** Leaf path → store key. */
  private readonly owners = new Map<string, string>();
  /** Branch path → number of leaves below it. */
  private readonly below = new Map<string, number>();
  private data: ConfigData = {};
  private originRoot: OriginNode = {};
  private sum: [number, number] = [0, 0];
  private size = 0;
  /** Copies the nodes of changed paths once per batch. */
  private readonly cow = new CopyOnWrite();
  /** The raw keys when the tree could not be built (a conflict): rebuilt in full on the next change. */
  private broken: Map<string, KeyChange> | undefined;
  private readonly separator: string;

  constructor(
    private readonly options: {
      source: string;
      prefix: string;
      separator?: string;
      /** How a store key is named in errors ("Consul key app/db"). */
      describe: (key: string) => string;
    },
  ) {
    this.separator = options.separator ?? '/';
  }

  /** The current tree. */
  state(): KeyTreeState {
    return { data: this.data, origins: new TreeOriginMap(this.originRoot), checksum: this.checksum() };
  }

  /** Replaces every key; throws a `CONFLICT` ConfigError (and keeps the previous tree) when they clash. */
  reset(entries: Iterable<KeyChange>): KeyTreeState {
    const all = [...entries].filter((entry) => entry.value !== null);
    all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const saved = this.save();
    this.leaves.clear();
    this.owners.clear();
    this.below.clear();
    this.data = {};
    this.originRoot = {};
    this.sum = [0, 0];
    this.size = 0;
    this.cow.startBatch(this.data, this.originRoot);
    try {
      for (const entry of all) this.insert(entry);
    } catch (error) {
      this.restore(saved);
      this.broken = new Map(all.map((entry) => [entry.key, entry]));
      throw error;
    }
    this.broken = undefined;
    return this.state();
  }

  /**
   * Applies changed keys (a `null` value deletes) as one atomic batch. Returns the new state and the
   * delta from the previous one: `deleted` names the highest paths that disappeared (apply them
   * first), `set` every leaf written. After a conflict the tree is rebuilt in full and no delta is given.
   */
  apply(changes: readonly KeyChange[]): { state: KeyTreeState; delta?: ChangeSetDelta } {
    if (this.broken !== undefined) {
      for (const change of changes) {
        if (change.value === null) this.broken.delete(change.key);
        else this.broken.set(change.key, change);
      }
      return { state: this.reset([...this.broken.values()]) };
    }
    const saved = this.save();
    const before = this.data;
    this.cow.startBatch();
    const touched: string[][] = [];
    try {
      // A batch is atomic: the last change per key counts, removals go first, so a batch that ends
      // valid never trips over a clash that existed only halfway through it.
      const net = new Map<string, KeyChange>();
      for (const change of changes) net.set(change.key, change);
      for (const key of net.keys()) {
        const old = this.leaves.get(key);
        if (old === undefined) continue;
        touched.push(old.path);
        this.remove(key, old);
      }
      for (const change of [...net.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
        if (change.value === null) continue;
        const path = this.insert(change);
        if (path) touched.push(path);
      }
    } catch (error) {
      // Rebuilt in full on the next change; until then the last good tree stays.
      const keys = new Map<string, KeyChange>();
      for (const [key, leaf] of this.leaves) keys.set(key, { key, value: leaf.raw, origin: leaf.origin });
      for (const change of changes) {
        if (change.value === null) keys.delete(change.key);
        else keys.set(change.key, change);
      }
      this.restore(saved);
      this.broken = keys;
      throw error as ConfigError;
    }
    return { state: this.state(), delta: this.deltaOf(before, touched) };
  }

  /**
   * Applies a whole answer of the store (every key below the prefix): only keys whose revision or text
   * changed, and keys that are gone, go into the batch. Consul compares each key's ModifyIndex with the
   * previous response this way.
   */
  replaceAll(entries: Iterable<KeyChange>): { state: KeyTreeState; delta?: ChangeSetDelta } {
    if (this.broken !== undefined) return { state: this.reset(entries) };
    const changes: KeyChange[] = [];
    const seen = new Set<string>();
    for (const entry of entries) {
      if (entry.value === null || this.pathOf(entry.key) === undefined) continue;
      seen.add(entry.key);
      const leaf = this.leaves.get(entry.key);
      if (leaf !== undefined && leaf.revision === entry.revision && leaf.raw === entry.value) continue;
      changes.push(entry);
    }
    for (const [key, leaf] of this.leaves) {
      if (!seen.has(key)) changes.push({ key, value: null, origin: leaf.origin });
    }
    if (changes.length === 0) return { state: this.state(), delta: { set: [], deleted: [] } };
    return this.apply(changes);
  }

  private checksum(): string {
    return `kv:${this.size}:${this.sum[0].toString(16)}:${this.sum[1].toString(16)}`;
  }

  private pathOf(key: string): string[] | undefined {
    const { prefix } = this.options;
    if (!key.startsWith(prefix) || key.endsWith(this.separator)) return undefined;
    const path = key
      .slice(prefix.length)
      .split(this.separator)
      .filter((segment) => segment !== '');
    return path.length === 0 || path.length > MAX_DEPTH ? undefined : path;
  }

  private insert(change: KeyChange): string[] | undefined {
    const path = this.pathOf(change.key);
    if (path === undefined || change.value === null) return undefined;
    const { describe, source } = this.options;
    const key = pathKey(path);
    for (let end = 1; end < path.length; end++) {
      const ancestor = path.slice(0, end);
      const owner = this.owners.get(pathKey(ancestor));
      if (owner !== undefined) {
        throw conflictError(
          source,
          { input: describe(owner), path: ancestor },
          { input: describe(change.key), path },
        );
      }
    }
    const sameLeaf = this.owners.get(key);
    if (sameLeaf !== undefined) {
      throw conflictError(source, { input: describe(sameLeaf), path }, { input: describe(change.key), path });
    }
    if ((this.below.get(key) ?? 0) > 0) {
      const other = this.someLeafBelow(path);
      throw conflictError(
        source,
        { input: describe(change.key), path },
        { input: describe(other.key), path: other.path },
      );
    }
    const value = parseScalar(change.value);
    this.data = this.cow.writeData(this.data, path, 0, value);
    this.originRoot = this.cow.writeOrigin(this.originRoot, path, 0, change.origin);
    for (let end = 1; end < path.length; end++) {
      const ancestor = pathKey(path.slice(0, end));
      this.below.set(ancestor, (this.below.get(ancestor) ?? 0) + 1);
    }
    // The checksum covers the data, not the text: ` 8080` rewritten over `8080` is no change.
    const hash = hashEntry(pathKey(path), stableStringify(value));
    this.sum = [(this.sum[0] ^ hash[0]) >>> 0, (this.sum[1] ^ hash[1]) >>> 0];
    this.leaves.set(change.key, {
      path,
      raw: change.value,
      origin: change.origin,
      revision: change.revision,
      hash,
    });
    this.size++;
    this.owners.set(key, change.key);
    return path;
  }

  private remove(key: string, leaf: Leaf): void {
    this.leaves.delete(key);
    this.size--;
    this.owners.delete(pathKey(leaf.path));
    this.sum = [(this.sum[0] ^ leaf.hash[0]) >>> 0, (this.sum[1] ^ leaf.hash[1]) >>> 0];
    // The highest ancestor left without leaves goes with the leaf (a full build would not have it).
    let cut = leaf.path.length;
    for (let end = leaf.path.length - 1; end >= 1; end--) {
      const ancestor = pathKey(leaf.path.slice(0, end));
      const count = (this.below.get(ancestor) ?? 1) - 1;
      if (count === 0) {
        this.below.delete(ancestor);
        cut = end;
      } else this.below.set(ancestor, count);
    }
    const removed = leaf.path.slice(0, cut);
    this.data = this.cow.deleteData(this.data, removed, 0);
    this.originRoot = this.cow.deleteOrigin(this.originRoot, removed, 0);
  }

  private someLeafBelow(path: readonly string[]): { key: string; path: string[] } {
    let node: unknown = this.data;
    const at = [...path];
    for (const key of path) node = ownValue(node as Record<string, unknown>, key);
    while (isPlainObject(node)) {
      const first = Object.keys(node)[0] as string;
      at.push(first);
      node = node[first];
    }
    return { key: this.owners.get(pathKey(at)) ?? at.join(this.separator), path: at };
  }

  /** The net delta of a batch: each touched leaf path as it is now (set) or its highest vanished path. */
  private deltaOf(before: ConfigData, touched: readonly string[][]): ChangeSetDelta {
    const set: ChangeSetDelta['set'] = [];
    const deleted = new Map<string, string[]>();
    const seen = new Set<string>();
    for (const path of touched) {
      const key = pathKey(path);
      if (seen.has(key)) continue;
      seen.add(key);
      const owner = this.owners.get(key);
      if (owner !== undefined) {
        const leaf = this.leaves.get(owner) as Leaf;
        set.push([leaf.path, valueAt(this.data, path), leaf.origin]);
        continue;
      }
      // A leaf that became a branch is deleted as a whole; the sets below rebuild it.
      const gone = valueAt(this.data, path) !== undefined ? [...path] : vanished(before, this.data, path);
      if (gone) deleted.set(pathKey(gone), gone);
    }
    const paths = [...deleted.values()].sort((a, b) => a.length - b.length);
    const kept: string[][] = [];
    for (const path of paths) {
      if (!kept.some((outer) => outer.every((key, index) => path[index] === key))) kept.push(path);
    }
    return { set, deleted: kept };
  }

  /** The tree's published fields (O(1): the tree is copied on write, never changed in place). */
  private save() {
    return { data: this.data, originRoot: this.originRoot, sum: this.sum, size: this.size };
  }

  private restore(saved: ReturnType<KeyTree['save']>): void {
    this.data = saved.data;
    this.originRoot = saved.originRoot;
    this.sum = saved.sum;
    this.size = saved.size;
  }
}
