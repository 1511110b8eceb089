/**
 * The KV state store: entries, tombstones (Consul's "graveyard") and the raft / KV-table indexes,
 * following `agent/consul/state/kvs.go`.
 */

/** One stored key (Consul's `DirEntry`). */
export interface StoredEntry {
  readonly key: string;
  /** The session holding the key's lock, if any (`Session`, omitted from JSON when unset). */
  readonly session?: string;
  /** Opaque uint64 flags, kept as a decimal string so values above 2^53 survive. */
  readonly flags: string;
  /** The stored bytes; `null` when the value is empty (Consul's `null` Value). */
  readonly value: Buffer | null;
  readonly lockIndex: number;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

/** What a write changed: the keys whose entries changed, or `abandon` after a reset. */
export type StoreChange = { kind: 'keys'; keys: readonly string[] } | { kind: 'abandon' };

/** Options of {@link KvStore.set}. */
export interface SetOptions {
  flags?: string;
  /** Check-and-set index: 0 = create only; N = only if the current ModifyIndex is N. */
  cas?: bigint;
}

/** What a lock operation (`?acquire=` / `?release=`) does. */
export interface LockOptions {
  flags?: string;
  /** The session asking. */
  session: string;
  /** `Date.now()` (for lock-delay). */
  now: number;
}

/** An in-memory Consul KV store with Consul's index rules. */
export class KvStore {
  private readonly entries = new Map<string, StoredEntry>();
  /** Deleted key → the index of its deletion (kept until {@link KvStore.reset}). */
  private readonly tombstones = new Map<string, number>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  /** Key → the time (ms) until which `?acquire=` is refused after its session was invalidated. */
  private readonly lockDelays = new Map<string, number>();
  private raft: number;
  /** The last index at which the KV or tombstone tables changed (`kvsMaxIndex`). */
  private table = 0;

  /**
   * @param initialIndex the raft index before the first KV write. A fresh Consul agent has applied
   * a few log entries (bootstrap, autopilot) before anyone writes a key; the default, 10, mimics
   * that, and keeps the first key's index above 1 (index 1 means "nothing yet" to clients).
   */
  constructor(initialIndex = 10) {
    this.raft = initialIndex;
  }

  /** The last raft index (every write request applies one log entry). */
  get raftIndex(): number {
    return this.raft;
  }

  /** The KV table index: the last index at which a key was really written or deleted. */
  get tableIndex(): number {
    return this.table;
  }

  /** Applies one raft entry that touches no key (a session change); returns its index. */
  bump(): number {
    return ++this.raft;
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The entry at `key`, if any. */
  get(key: string): StoredEntry | undefined {
    return this.entries.get(key);
  }

  /** Every entry whose key starts with `prefix`, sorted by key. */
  list(prefix: string): StoredEntry[] {
    const found = [...this.entries.values()].filter((entry) => entry.key.startsWith(prefix));
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The index a single-key read reports: the key's ModifyIndex, else the table index. */
  indexOfKey(key: string): number {
    return this.entries.get(key)?.modifyIndex ?? this.table;
  }

  /**
   * The index a prefix read reports (`kvsListTxn`): the highest ModifyIndex or tombstone under the
   * prefix; the table index when there was never anything under it, or for the root prefix.
   */
  indexOfPrefix(prefix: string): number {
    if (prefix === '') return this.table;
    let highest = 0;
    for (const entry of this.entries.values()) {
      if (entry.key.startsWith(prefix)) highest = Math.max(highest, entry.modifyIndex);
    }
    for (const [key, index] of this.tombstones) {
      if (key.startsWith(prefix)) highest = Math.max(highest, index);
    }
    return highest !== 0 ? highest : this.table;
  }

  /**
   * Writes a key; returns false when a CAS check fails. An identical write (same value and flags)
   * keeps the old ModifyIndex and wakes nobody, as in Consul ≥ 1.6.2.
   */
  set(key: string, value: Buffer | null, options: SetOptions = {}): boolean {
    const index = ++this.raft;
    const existing = this.entries.get(key);
    if (options.cas !== undefined) {
      const matches =
        options.cas === 0n
          ? existing === undefined
          : existing !== undefined && BigInt(existing.modifyIndex) === options.cas;
      if (!matches) return false;
    }
    this.write(key, value, options.flags, existing, index, {
      lockIndex: existing?.lockIndex ?? 0,
      session: existing?.session,
    });
    return true;
  }

  /**
   * `?acquire=<session>` (`kvsLockTxn`): refused (false) while another session holds the key or
   * during its lock-delay; a free key gets the session and LockIndex + 1; the holder's own acquire
   * only writes the value. The caller checks that the session exists.
   */
  acquire(key: string, value: Buffer | null, options: LockOptions): boolean {
    // Checked before the raft apply (`KVS.Apply`), so a refused acquire uses no index.
    if ((this.lockDelays.get(key) ?? 0) > options.now) return false;
    const index = ++this.raft;
    const existing = this.entries.get(key);
    if (existing?.session !== undefined && existing.session !== options.session) return false;
    if (existing?.session === options.session) {
      this.write(key, value, options.flags, existing, index, {
        lockIndex: existing.lockIndex,
        session: options.session,
      });
      return true;
    }
    this.write(key, value, options.flags, existing, index, {
      lockIndex: (existing?.lockIndex ?? 0) + 1,
      session: options.session,
    });
    return true;
  }

  /**
   * `?release=<session>` (`kvsUnlockTxn`): only the holder may release; clears `Session`, keeps
   * LockIndex and writes the value. False for a missing key or another holder.
   */
  release(key: string, value: Buffer | null, options: LockOptions): boolean {
    const index = ++this.raft;
    const existing = this.entries.get(key);
    if (!existing || existing.session !== options.session) return false;
    this.write(key, value, options.flags, existing, index, {
      lockIndex: existing.lockIndex,
      session: undefined,
    });
    return true;
  }

  /**
   * A session was invalidated (`deleteSessionTxn`), in one raft entry: with `release` each key it
   * holds loses its `Session` (ModifyIndex moves), with `delete` each is deleted; both start the
   * keys' lock-delay (until `delayUntil`).
   */
  invalidateSession(session: string, behavior: 'release' | 'delete', delayUntil: number): void {
    const index = ++this.raft;
    const held = [...this.entries.values()].filter((entry) => entry.session === session);
    for (const entry of held) this.lockDelays.set(entry.key, delayUntil);
    if (held.length === 0) return;
    const keys = held.map((entry) => entry.key);
    if (behavior === 'delete') {
      this.remove(keys);
      return;
    }
    for (const entry of held) {
      const { session: _dropped, ...rest } = entry;
      this.entries.set(entry.key, { ...rest, modifyIndex: index });
    }
    this.table = index;
    this.emit({ kind: 'keys', keys });
  }

  /** Stores a value with a given lock state; an identical entry keeps its ModifyIndex and wakes nobody. */
  private write(
    key: string,
    value: Buffer | null,
    givenFlags: string | undefined,
    existing: StoredEntry | undefined,
    index: number,
    lock: { lockIndex: number; session: string | undefined },
  ): void {
    const stored = value === null || value.length === 0 ? null : Buffer.from(value);
    const flags = givenFlags ?? '0';
    if (
      existing &&
      existing.flags === flags &&
      sameBytes(existing.value, stored) &&
      existing.lockIndex === lock.lockIndex &&
      existing.session === lock.session
    ) {
      return;
    }
    this.entries.set(key, {
      key,
      flags,
      value: stored,
      lockIndex: lock.lockIndex,
      ...(lock.session === undefined ? {} : { session: lock.session }),
      createIndex: existing?.createIndex ?? index,
      modifyIndex: index,
    });
    this.table = index;
    this.emit({ kind: 'keys', keys: [key] });
  }

  /**
   * Deletes one key. With `cas`, deletes only when the ModifyIndex matches (a missing key reports
   * true, `cas=0` on an existing key false, as `kvsDeleteCASTxn` does).
   */
  delete(key: string, cas?: bigint): boolean {
    ++this.raft;
    const existing = this.entries.get(key);
    if (!existing) return true;
    if (cas !== undefined && BigInt(existing.modifyIndex) !== cas) return false;
    this.remove([key]);
    return true;
  }

  /** Deletes every key starting with `prefix` (all keys for `''`). */
  deleteTree(prefix: string): boolean {
    ++this.raft;
    const keys = this.list(prefix).map((entry) => entry.key);
    if (keys.length > 0) this.remove(keys);
    return true;
  }

  /**
   * Makes the indexes go backwards, as after a snapshot restore: keeps the data, renumbers every
   * entry from 2 in key order, forgets tombstones and abandons every blocking query.
   */
  reset(): void {
    const current = this.list('');
    this.tombstones.clear();
    this.entries.clear();
    this.raft = 1;
    for (const entry of current) {
      const index = ++this.raft;
      this.entries.set(entry.key, { ...entry, createIndex: index, modifyIndex: index });
    }
    this.table = this.raft;
    this.emit({ kind: 'abandon' });
  }

  private remove(keys: readonly string[]): void {
    const index = this.raft;
    for (const key of keys) {
      this.entries.delete(key);
      this.tombstones.set(key, index);
    }
    this.table = index;
    this.emit({ kind: 'keys', keys });
  }

  private emit(change: StoreChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}
