/**
 * The keys below a prefix of a key/value store (Consul KV, etcd) as a config tree, kept current by
 * patching: a change to a few keys copies only the branches on their paths (the previous tree is
 * never mutated, so ChangeSets already handed out stay valid) and yields a {@link ChangeSetDelta}.
 * Its inputs and state are in key-change.ts, its read-only steps (conflicts, deltas) in key-tree-delta.ts.
 */

import { stableStringify } from '../reader/checksum.js';
import type { ChangeSetDelta, ConfigData } from '../reader/contract.js';
import type { ConfigError } from '../reader/errors.js';
import { pathKey } from '../reader/provenance.js';
import { MAX_DEPTH } from '../reader/tree.js';
import { CopyOnWrite, hashEntry, valueAt } from './copy-on-write.js';
import {
  type KeyChange,
  type KeyTreeOptions,
  type KeyTreeRebuild,
  type KeyTreeState,
  parseScalar,
} from './key-change.js';
import { conflictAt, deltaOf } from './key-tree-delta.js';
import {
  Branch,
  compactRevision,
  type LeafMark,
  LeafMeta,
  type LeafNaming,
  MetaOriginMap,
  MetaTree,
  revisionOf,
} from './key-tree-meta.js';

/**
 * Keys below `prefix` as a tree: `config/app/server/port` → `server.port`, values JSON-parsed when
 * they parse. Folder keys (ending in the separator, or `null`) and the prefix itself are ignored. A key
 * that is both a value and a branch (`app/db` and `app/db/host`) is a `CONFLICT` naming both keys.
 * Per key it keeps only the data and a compact mark in a tree of the same shape (see key-tree-meta.ts).
 *
 * @example
 * const tree = new KeyTree({ source: 'etcd:/app/', prefix: '/app/', describe: (key) => `etcd key ${key}` });
 * tree.reset([{ key: '/app/port', value: '80', origin: { etcdKey: '/app/port', modRevision: '5' } }]);
 * const { delta } = tree.apply([{ key: '/app/port', value: '81', origin: { etcdKey: '/app/port', modRevision: '6' } }]);
 */
export class KeyTree {
  private data: ConfigData = {};
  private readonly meta = new MetaTree();
  private sum: [number, number] = [0, 0];
  /** Copies the nodes of changed paths once per batch. */
  private readonly cow = new CopyOnWrite();
  /** The raw keys when the tree could not be built (a conflict): rebuilt in full on the next change. */
  private broken: Map<string, KeyChange> | undefined;
  private readonly separator: string;
  private readonly naming: LeafNaming;

  constructor(private readonly options: KeyTreeOptions) {
    this.separator = options.separator ?? '/';
    const canonical = (path: readonly string[]) => options.prefix + path.join(this.separator);
    this.naming = {
      keyOf: (path, mark) =>
        mark instanceof LeafMeta && mark.key !== undefined ? mark.key : canonical(path),
      originOf: (path, mark) => {
        if (mark instanceof LeafMeta && mark.origin !== undefined) return mark.origin;
        return options.origin?.(this.naming.keyOf(path, mark), revisionOf(mark)) ?? {};
      },
    };
  }

  /** The current tree. */
  state(): KeyTreeState {
    return {
      data: this.data,
      origins: new MetaOriginMap(this.meta.root, this.naming),
      checksum: this.checksum(),
    };
  }

  /** Replaces every key; throws a `CONFLICT` ConfigError (and keeps the previous tree) when they clash. */
  reset(entries: Iterable<KeyChange>): KeyTreeState {
    const all = [...entries].filter((entry) => entry.value !== null);
    all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const rebuild = this.rebuild();
    rebuild.add(all);
    return rebuild.finish();
  }

  /** Starts a full rebuild fed in batches; see {@link KeyTreeRebuild}. No delta: the result is whole. */
  rebuild(): KeyTreeRebuild {
    const saved = this.save();
    this.data = {};
    this.meta.clear();
    this.sum = [0, 0];
    this.cow.startBatch(this.data);
    let failure: ConfigError | undefined;
    let raw: Map<string, KeyChange> | undefined;
    return {
      add: (entries) => {
        for (const entry of entries) {
          if (entry.value === null) continue;
          if (raw !== undefined) {
            raw.set(entry.key, entry);
            continue;
          }
          try {
            this.insert(entry);
          } catch (error) {
            failure = error as ConfigError;
            raw = this.rawKeys();
            raw.set(entry.key, entry);
          }
        }
      },
      finish: () => {
        if (failure !== undefined) {
          this.restore(saved);
          this.broken = raw;
          throw failure;
        }
        this.broken = undefined;
        return this.state();
      },
    };
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
    this.meta.startBatch();
    const touched: string[][] = [];
    // A batch is atomic: the last change per key counts, removals go first, so a batch that ends
    // valid never trips over a clash that existed only halfway through it.
    const net = new Map<string, KeyChange>();
    for (const change of changes) net.set(change.key, change);
    try {
      for (const key of net.keys()) {
        const path = this.pathOf(key);
        if (path === undefined || !this.owns(path, key)) continue;
        touched.push(path);
        this.remove(path);
      }
      for (const change of [...net.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
        if (change.value === null) continue;
        const path = this.insert(change);
        if (path) touched.push(path);
      }
    } catch (error) {
      // Rebuilt in full on the next change; until then the last good tree stays.
      this.restore(saved);
      const keys = this.rawKeys();
      for (const change of changes) {
        if (change.value === null) keys.delete(change.key);
        else keys.set(change.key, change);
      }
      this.broken = keys;
      throw error as ConfigError;
    }
    return { state: this.state(), delta: deltaOf(this.meta, this.naming, this.data, before, touched) };
  }

  /**
   * Applies a whole answer of the store (every key below the prefix): only keys whose revision (or,
   * without revisions, value) changed, and keys that are gone, go into the batch. Consul compares
   * each key's ModifyIndex with the previous response this way.
   */
  replaceAll(entries: Iterable<KeyChange>): { state: KeyTreeState; delta?: ChangeSetDelta } {
    if (this.broken !== undefined) return { state: this.reset(entries) };
    const changes: KeyChange[] = [];
    const seen = new Set<string>();
    for (const entry of entries) {
      const path = entry.value === null ? undefined : this.pathOf(entry.key);
      if (path === undefined) continue;
      seen.add(entry.key);
      if (!this.unchanged(path, entry)) changes.push(entry);
    }
    for (const [path, mark] of this.meta.leaves()) {
      const key = this.naming.keyOf(path, mark);
      if (!seen.has(key)) changes.push({ key, value: null });
    }
    if (changes.length === 0) return { state: this.state(), delta: { set: [], deleted: [] } };
    return this.apply(changes);
  }

  /** Whether the stored leaf at `path` is `entry`'s key with the same revision (or value). */
  private unchanged(path: readonly string[], entry: KeyChange): boolean {
    const mark = this.meta.get(path);
    if (mark === undefined || mark instanceof Branch || this.naming.keyOf(path, mark) !== entry.key)
      return false;
    const stored = revisionOf(mark);
    const incoming = compactRevision(entry.revision);
    if (stored !== undefined && incoming !== undefined) return stored === incoming;
    return stableStringify(parseScalar(entry.value as string)) === stableStringify(valueAt(this.data, path));
  }

  private checksum(): string {
    return `kv:${this.meta.root.size}:${this.sum[0].toString(16)}:${this.sum[1].toString(16)}`;
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

  /** Whether the leaf at `path` is `key`'s. */
  private owns(path: readonly string[], key: string): boolean {
    const mark = this.meta.get(path);
    return mark !== undefined && !(mark instanceof Branch) && this.naming.keyOf(path, mark) === key;
  }

  private insert(change: KeyChange): string[] | undefined {
    const path = this.pathOf(change.key);
    if (path === undefined || change.value === null) return undefined;
    const conflict = conflictAt(this.meta, this.naming, path, change.key, this.options);
    if (conflict) throw conflict;
    const value = parseScalar(change.value);
    this.data = this.cow.writeData(this.data, path, 0, value);
    this.meta.setLeaf(path, this.markOf(path, change));
    // The checksum covers the data, not the text: ` 8080` rewritten over `8080` is no change.
    this.toggle(path, value);
    return path;
  }

  private markOf(path: readonly string[], change: KeyChange): LeafMark {
    const revision = compactRevision(change.revision);
    const canonical = this.options.prefix + path.join(this.separator) === change.key;
    if (this.options.origin !== undefined && canonical) return revision ?? true;
    return new LeafMeta(
      revision,
      canonical ? undefined : change.key,
      this.options.origin === undefined ? (change.origin ?? {}) : undefined,
    );
  }

  private remove(path: readonly string[]): void {
    this.toggle(path, valueAt(this.data, path));
    const cut = this.meta.removeLeaf(path);
    this.data = this.cow.deleteData(this.data, path.slice(0, cut), 0);
  }

  /** Adds or removes a leaf's hash from the checksum (XOR). */
  private toggle(path: readonly string[], value: unknown): void {
    const hash = hashEntry(pathKey(path), stableStringify(value));
    this.sum = [(this.sum[0] ^ hash[0]) >>> 0, (this.sum[1] ^ hash[1]) >>> 0];
  }

  /** Every key as a change (text re-made from the parsed value), for a rebuild after a conflict. */
  private rawKeys(): Map<string, KeyChange> {
    const keys = new Map<string, KeyChange>();
    for (const [path, mark] of this.meta.leaves()) {
      const key = this.naming.keyOf(path, mark);
      const value = valueAt(this.data, path);
      const text = typeof value === 'string' && parseScalar(value) === value ? value : JSON.stringify(value);
      const revision = revisionOf(mark);
      keys.set(key, {
        key,
        value: text,
        origin: this.naming.originOf(path, mark),
        ...(revision === undefined ? {} : { revision }),
      });
    }
    return keys;
  }

  /** The tree's published fields (O(1): the trees are copied on write, never changed in place). */
  private save() {
    return { data: this.data, root: this.meta.root, sum: this.sum };
  }

  private restore(saved: ReturnType<KeyTree['save']>): void {
    this.data = saved.data;
    this.meta.root = saved.root;
    this.sum = saved.sum;
  }
}
