/**
 * The etcd source's view of its keys as of a store revision: a patched {@link KeyTree} (prefix mode)
 * or the one key's text (key mode), turned into ChangeSets with deltas. No client, no timers.
 */
import type { IEvent, IKeyValue } from 'etcd3';
import type { ChangeSet } from '../../reader/contract.js';
import { decodeKeyDocument, type KeyDocumentOptions } from '../../source-kit/key-document.js';
import { type KeyChange, KeyTree, type KeyTreeState } from '../../source-kit/key-tree.js';

/** How keys become a tree: every key below a prefix, or one key holding a document. */
export type EtcdLayout =
  | { mode: 'prefix'; prefix: string }
  | { mode: 'key'; key: string; document: KeyDocumentOptions };

/** A key as a range read returns it. */
export type StoredKey = Pick<IKeyValue, 'key' | 'value' | 'mod_revision'>;

/** A range read: its keys and the store revision it reflects. */
export interface RangeRead {
  keys: readonly StoredKey[];
  revision: bigint;
}

function toChange(kv: StoredKey): KeyChange {
  const key = kv.key.toString();
  return {
    key,
    value: kv.value.toString(),
    origin: { etcdKey: key, modRevision: kv.mod_revision },
    revision: kv.mod_revision,
  };
}

/**
 * One watch session's (or read's) local copy. `load` rebases it on a read; `apply` adds watch events
 * newer than that read. Both return the ChangeSet to emit, or `undefined` when the content did not
 * change; they throw `CONFLICT`/`PARSE`/`NOT_FOUND` ConfigErrors (the previous content stays).
 */
export class EtcdView {
  /** Revision of the read the view rests on: events at or below it are already in it. */
  private base = 0n;
  /** The newest revision reflected. */
  revision = 0n;
  private readonly tree: KeyTree | undefined;
  private document: { text: string; modRevision: string } | undefined;
  private emitted: string | undefined;

  constructor(
    private readonly layout: EtcdLayout,
    private readonly source: string,
  ) {
    if (layout.mode === 'prefix') {
      this.tree = new KeyTree({ source, prefix: layout.prefix, describe: (key) => `etcd key ${key}` });
    }
  }

  /** The checksum of the content last returned (or given to {@link assume}). */
  get checksum(): string | undefined {
    return this.emitted;
  }

  /** Records that the loader already has content with this checksum (a read handed it over). */
  assume(checksum: string): void {
    this.emitted = checksum;
  }

  /** Rebases on a fresh read. The first load of a prefix gives no delta; later ones do. */
  load(read: RangeRead): ChangeSet | undefined | Promise<ChangeSet | undefined> {
    this.base = read.revision;
    this.revision = read.revision;
    if (this.tree) {
      const first = this.emitted === undefined;
      const result = this.tree.replaceAll(read.keys.map(toChange));
      return this.fromTree(result.state, first ? undefined : result.delta);
    }
    const kv = read.keys.find((candidate) => candidate.key.toString() === this.keyName());
    this.document = kv ? { text: kv.value.toString(), modRevision: kv.mod_revision } : undefined;
    return this.fromDocument();
  }

  /** Applies watch events (those at or below the last read's revision are skipped). */
  apply(events: readonly IEvent[]): ChangeSet | undefined | Promise<ChangeSet | undefined> {
    const fresh = events.filter((event) => BigInt(event.kv.mod_revision) > this.base);
    if (fresh.length === 0) return undefined;
    for (const event of fresh) {
      const revision = BigInt(event.kv.mod_revision);
      if (revision > this.revision) this.revision = revision;
    }
    if (this.tree) {
      const changes = fresh.map((event) =>
        event.type === 'Delete' ? { ...toChange(event.kv), value: null } : toChange(event.kv),
      );
      const result = this.tree.apply(changes);
      return this.fromTree(result.state, result.delta);
    }
    for (const event of fresh) {
      if (event.kv.key.toString() !== this.keyName()) continue;
      this.document =
        event.type === 'Delete'
          ? undefined
          : { text: event.kv.value.toString(), modRevision: event.kv.mod_revision };
    }
    return this.fromDocument();
  }

  private keyName(): string {
    return this.layout.mode === 'key' ? this.layout.key : '';
  }

  private fromTree(state: KeyTreeState, delta: ChangeSet['delta']): ChangeSet | undefined {
    if (state.checksum === this.emitted) return undefined;
    this.emitted = state.checksum;
    return {
      data: state.data,
      origins: state.origins,
      checksum: state.checksum,
      source: this.source,
      timestamp: new Date(),
      revision: String(this.revision),
      ...(delta ? { delta } : {}),
    };
  }

  private fromDocument(): ChangeSet | undefined | Promise<ChangeSet | undefined> {
    if (this.layout.mode !== 'key') return undefined;
    const { document } = this;
    const decoded = decodeKeyDocument(
      {
        source: this.source,
        key: this.layout.key,
        text: document?.text,
        origin: document ? { etcdKey: this.layout.key, modRevision: document.modRevision } : {},
        what: 'etcd key',
      },
      this.layout.document,
    );
    const finish = (result: Awaited<typeof decoded>): ChangeSet | undefined => {
      if (result.checksum === this.emitted) return undefined;
      this.emitted = result.checksum;
      return { ...result, source: this.source, timestamp: new Date(), revision: String(this.revision) };
    };
    return decoded instanceof Promise ? decoded.then(finish) : finish(decoded);
  }
}
