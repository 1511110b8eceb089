/**
 * A write seen before it is made: a source with the same name and the same key grammar as `consul()`
 * and `etcd()` (the kit's KeyTree for a prefix, its key-document decoder for one key), fed with the
 * keys as read from the store; `arm()` applies the pending write to that view. `livecfg put` loads the
 * config with it, arms it and syncs: the loader validates and diffs the result like any change.
 */
import type { ChangeSet, Source } from '../index.js';
import { formatFromPath } from '../reader/formats/index.js';
import { decodeKeyDocument } from '../source-kit/key-document.js';
import { KeyTree } from '../source-kit/key-tree.js';
import type { StoredKey } from './store.js';

/** Which keys a source reads: every key under a prefix, or one key holding a document. */
export type PreviewTarget = { mode: 'prefix'; prefix: string } | { mode: 'key'; key: string };

/** The write to preview: a new value for `key`, or its deletion (`null`). */
export interface PendingWrite {
  key: string;
  value: string | null;
}

/** Whether `key` is read by `target` (the write would reach it). */
export function targetReads(target: PreviewTarget, key: string): boolean {
  return target.mode === 'prefix'
    ? key.startsWith(target.prefix) && key !== target.prefix
    : key === target.key;
}

/** The source `consul()`/`etcd()` would be for `target`, reading `keys`; {@link arm} applies `write`. */
export class WritePreview implements Source {
  readonly name: string;
  private armed = false;
  private readonly what: string;

  constructor(
    store: 'etcd' | 'consul',
    private readonly target: PreviewTarget,
    private readonly keys: readonly StoredKey[],
    private readonly write: PendingWrite,
  ) {
    this.name = `${store}:${target.mode === 'prefix' ? target.prefix : target.key}`;
    this.what = store === 'consul' ? 'Consul key' : 'etcd key';
  }

  /** From now on, reads return the data with the write applied. */
  arm(): void {
    this.armed = true;
  }

  async read(): Promise<ChangeSet> {
    const keys = this.armed ? applied(this.keys, this.write) : this.keys;
    const timestamp = new Date();
    const { target, what } = this;
    if (target.mode === 'prefix') {
      const tree = new KeyTree({
        source: this.name,
        prefix: target.prefix,
        describe: (key) => `${what} ${key}`,
      });
      const { state } = tree.replaceAll(
        keys.map((kv) => ({
          key: kv.key,
          value: kv.value,
          origin: this.origin(kv),
          revision: kv.modRevision,
        })),
      );
      return {
        data: state.data,
        origins: state.origins,
        checksum: state.checksum,
        source: this.name,
        timestamp,
      };
    }
    const kv = keys.find((candidate) => candidate.key === target.key);
    const decoded = await decodeKeyDocument(
      { source: this.name, key: target.key, text: kv?.value, origin: kv ? this.origin(kv) : {}, what },
      { format: formatFromPath(target.key), optional: false, interpolate: false },
    );
    return { ...decoded, source: this.name, timestamp };
  }

  /** The origin the real source records (`{ consulKey, modifyIndex }`, `{ etcdKey, modRevision }`). */
  private origin(kv: StoredKey) {
    return this.what === 'Consul key'
      ? { consulKey: kv.key, modifyIndex: Number(kv.modRevision) }
      : { etcdKey: kv.key, modRevision: kv.modRevision };
  }
}

function applied(keys: readonly StoredKey[], write: PendingWrite): StoredKey[] {
  const rest = keys.filter((kv) => kv.key !== write.key);
  if (write.value === null) return rest;
  return [...rest, { key: write.key, value: write.value, modRevision: '0' }];
}
