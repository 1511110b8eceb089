/**
 * What the fleet needs of a KV store (etcd or Consul): keys that live with a lease or session,
 * prefix reads and waits, and compare-and-swap writes. One implementation per store.
 */

/** A stored key: its text and the revision that last modified it (etcd mod_revision, Consul ModifyIndex). */
export interface StoredKey {
  key: string;
  value: string;
  modRevision: string;
}

/** A prefix read: its keys (sorted) and the store revision it reflects. */
export interface PrefixRead {
  revision: string;
  keys: StoredKey[];
}

/** The outcome of a compare-and-swap write. */
export interface CasResult {
  /** False: the key's revision was not the expected one (someone else wrote in between). */
  ok: boolean;
  /** The store revision the write produced (ok), or the current one (not ok). */
  revision: string;
}

/** One request's settings: background requests never keep the process alive. */
export interface CallOptions {
  background: boolean;
  signal?: AbortSignal;
}

/** The answer of {@link FleetStore.get} from a read's revision and entries: the entry named `key`, if any. */
export function keyOfRead(
  key: string,
  revision: string,
  entries: readonly StoredKey[],
): { revision: string; kv: StoredKey | undefined } {
  return { revision, kv: entries.find((entry) => entry.key === key) };
}

/** A KV store as the fleet uses it. Revisions are decimal strings (int64 / uint64 safe). */
export interface FleetStore {
  readonly kind: 'etcd' | 'consul';
  /** Where it connects, for messages (`http://127.0.0.1:2379`). */
  readonly address: string;
  /** Grants a lease (etcd) or creates a TTL session whose keys are deleted with it (Consul); its ID. */
  grant(ttlSeconds: number, name: string, options: CallOptions): Promise<string>;
  /** Keeps a lease or session alive; false when it is gone (the caller grants a new one). */
  keepAlive(lease: string, options: CallOptions): Promise<boolean>;
  /** Ends a lease or session: its keys are deleted. */
  revoke(lease: string, options: CallOptions): Promise<void>;
  /** Writes a key that lives with the lease; false when the lease is gone. */
  putLeased(key: string, value: string, lease: string, options: CallOptions): Promise<boolean>;
  /** Reads one key (undefined when missing) and the revision of the read. */
  get(key: string, options: CallOptions): Promise<{ revision: string; kv: StoredKey | undefined }>;
  /** Reads every key under a prefix. */
  list(prefix: string, options: CallOptions): Promise<PrefixRead>;
  /**
   * Waits until something under `prefix` changes after `revision` (or `waitMs` passes), then reads
   * the prefix. Rejects when `signal` aborts.
   */
  waitList(prefix: string, revision: string, waitMs: number, options: CallOptions): Promise<PrefixRead>;
  /**
   * Writes (`value`) or deletes (`null`) `key` only if its mod revision is `expected` ("0": only if
   * the key is absent).
   */
  cas(key: string, value: string | null, expected: string, options: CallOptions): Promise<CasResult>;
  /** Closes every socket. */
  close(): void;
}
