/**
 * The etcd source's local view of the store: the keys it reads, kept current by applying watch
 * events, and turned into a ChangeSet. Pure: no client, no timers.
 */
import type { IEvent, IRangeResponse } from 'etcd3';
import { checksumText } from '../reader/checksum.js';
import { ConfigError } from '../reader/errors.js';
import { type Environ, type Format, parseDocument } from '../reader/formats/index.js';
import { type KeyValueEntry, treeFromKeys } from '../reader/keyvalue.js';
import type { ChangeSet } from './source.js';

/** One stored key: its text and the revision that last modified it. */
export interface StoredKey {
  value: string;
  modRevision: string;
}

/** The watched keys as of a store revision: every change up to `revision` is reflected. */
export interface KeySnapshot {
  revision: bigint;
  keys: Map<string, StoredKey>;
}

/** How keys become a tree: every key below a prefix, or one key holding a document. */
export type EtcdLayout =
  | { mode: 'prefix'; prefix: string }
  | { mode: 'key'; key: string; format: Format; optional: boolean; interpolate: boolean; environ?: Environ };

/** A snapshot of the keys a range read returned, at the read's header revision. */
export function snapshotFromRange(response: IRangeResponse): KeySnapshot {
  const keys = new Map<string, StoredKey>();
  for (const kv of response.kvs) {
    keys.set(kv.key.toString(), { value: kv.value.toString(), modRevision: kv.mod_revision });
  }
  return { revision: BigInt(response.header.revision), keys };
}

/** A copy of a snapshot that can be changed without touching the original. */
export function cloneSnapshot(snapshot: KeySnapshot): KeySnapshot {
  return { revision: snapshot.revision, keys: new Map(snapshot.keys) };
}

/**
 * Applies watch events to `snapshot` in place. Events at or below `after` (the revision of the read
 * the snapshot started from) are already reflected and skipped. Returns whether any key changed.
 */
export function applyEvents(snapshot: KeySnapshot, events: readonly IEvent[], after: bigint): boolean {
  let changed = false;
  for (const event of events) {
    const revision = BigInt(event.kv.mod_revision);
    if (revision <= after) continue;
    const key = event.kv.key.toString();
    if (event.type === 'Delete') {
      changed = snapshot.keys.delete(key) || changed;
    } else {
      snapshot.keys.set(key, { value: event.kv.value.toString(), modRevision: event.kv.mod_revision });
      changed = true;
    }
    if (revision > snapshot.revision) snapshot.revision = revision;
  }
  return changed;
}

/** A checksum of the keys' content (not their revisions): rewriting a value unchanged keeps it. */
export function snapshotChecksum(snapshot: KeySnapshot): string {
  const keys = [...snapshot.keys.keys()].sort();
  const parts: string[] = [];
  for (const key of keys) parts.push(key, snapshot.keys.get(key)?.value ?? '');
  return checksumText(parts.join('\u0000'));
}

/**
 * Builds the ChangeSet of a snapshot. Prefix mode maps keys to paths (JSON values parsed); key mode
 * parses the document. Throws `NOT_FOUND` for a missing required key and `PARSE` for a bad document.
 */
export function changeSetFromSnapshot(
  snapshot: KeySnapshot,
  layout: EtcdLayout,
  source: string,
  checksum = snapshotChecksum(snapshot),
): ChangeSet {
  const timestamp = new Date();
  if (layout.mode === 'prefix') {
    const entries: KeyValueEntry[] = [];
    for (const [key, stored] of snapshot.keys) {
      entries.push({ key, value: stored.value, origin: { etcdKey: key, modRevision: stored.modRevision } });
    }
    const { data, origins } = treeFromKeys(entries, layout.prefix, '/');
    return { data, origins, checksum, source, timestamp };
  }
  const stored = snapshot.keys.get(layout.key);
  if (stored === undefined) {
    if (layout.optional) return { data: {}, checksum, source, timestamp };
    throw new ConfigError('NOT_FOUND', `${source}: etcd key "${layout.key}" does not exist`, {
      source,
      path: layout.key,
    });
  }
  if (stored.value.trim() === '') return { data: {}, checksum, source, timestamp };
  const parsed = parseDocument(
    stored.value,
    layout.format,
    { source, label: layout.key, originBase: { etcdKey: layout.key, modRevision: stored.modRevision } },
    { interpolate: layout.interpolate, ...(layout.environ ? { environ: layout.environ } : {}) },
  );
  return { data: parsed.data, origins: parsed.origins, checksum, source, timestamp };
}
