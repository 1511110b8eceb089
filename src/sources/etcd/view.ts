/**
 * The etcd source's view of its keys as of a store revision: a patched {@link KeyTree} (prefix mode,
 * built page by page straight from range reads) or the one key's text (key mode), turned into
 * ChangeSets with deltas. No client, no timers.
 */
import type { ChangeSet } from '../../reader/contract.js';
import { ConfigError } from '../../reader/errors.js';
import type { KeyChange, KeyTreeState } from '../../source-kit/key-change.js';
import { decodeKeyDocument, type KeyDocumentOptions } from '../../source-kit/key-document.js';
import { KeyTree } from '../../source-kit/key-tree.js';
import type { KeyValue, WatchEvent } from './gateway.js';

/** How keys become a tree: every key below a prefix, or one key holding a document. */
export type EtcdLayout =
  | { mode: 'prefix'; prefix: string }
  | { mode: 'key'; key: string; document: KeyDocumentOptions };

/** Reads the watched keys, handing them over page by page; resolves with the read's revision. */
export type PageReader = (onPage: (kvs: readonly KeyValue[]) => void) => Promise<bigint>;

/** What a fresh read gave: the change to emit (if the content changed), or the bad state it holds. */
export interface LoadResult {
  change?: ChangeSet;
  /** A `CONFLICT`, `PARSE` or `NOT_FOUND` the read's content holds (the view still rests on the read). */
  problem?: ConfigError;
}

function toChange(kv: Pick<KeyValue, 'key' | 'value' | 'modRevision'>): KeyChange {
  return { key: kv.key, value: kv.value, revision: kv.modRevision };
}

/** etcd origins, made on demand: `{ etcdKey, modRevision }`. */
const etcdOrigin = (key: string, revision: string | number | undefined) => ({
  etcdKey: key,
  modRevision: String(revision ?? '0'),
});

/**
 * One watch session's (or read's) local copy. `load` rebases it on a fresh read; `apply` adds watch
 * events newer than that read. Both give the ChangeSet to emit, or nothing when the content did not
 * change; `apply` throws `CONFLICT`/`PARSE`/`NOT_FOUND` ConfigErrors (the previous content stays).
 */
export class EtcdView {
  /** Revision of the read the view rests on: events at or below it are already in it. */
  private base = 0n;
  /** The newest revision reflected. */
  revision = 0n;
  private tree: KeyTree | undefined;
  private document: { text: string; modRevision: string } | undefined;
  private emitted: string | undefined;

  constructor(
    private readonly layout: EtcdLayout,
    private readonly source: string,
  ) {
    if (layout.mode === 'prefix') this.tree = this.newTree(layout.prefix);
  }

  /** The checksum of the content last returned (or given to {@link assume}). */
  get checksum(): string | undefined {
    return this.emitted;
  }

  /** Records that the loader already has content with this checksum (a read handed it over). */
  assume(checksum: string): void {
    this.emitted = checksum;
  }

  /**
   * Rebases on a fresh read, building a new tree from the pages as they arrive (nothing of the read
   * is kept but the tree). Rejects when the read fails (the view is unchanged). The result is whole
   * (no delta): a rebase replaces everything.
   */
  async load(read: PageReader): Promise<LoadResult> {
    if (this.layout.mode === 'prefix') {
      const next = this.newTree(this.layout.prefix);
      const rebuild = next.rebuild();
      const revision = await read((kvs) => rebuild.add(kvs.map(toChange)));
      this.rebase(revision);
      // A conflict leaves `next` holding the raw keys: the next event rebuilds it in full.
      this.tree = next;
      try {
        return { change: this.fromTree(rebuild.finish(), undefined) };
      } catch (error) {
        return { problem: error as ConfigError };
      }
    }
    const name = this.layout.key;
    let found: KeyValue | undefined;
    const revision = await read((kvs) => {
      found = kvs.find((kv) => kv.key === name) ?? found;
    });
    this.rebase(revision);
    this.document = found ? { text: found.value, modRevision: found.modRevision } : undefined;
    return this.settle(() => this.fromDocument());
  }

  /** Applies watch events (those at or below the last read's revision are skipped). */
  apply(events: readonly WatchEvent[]): ChangeSet | undefined | Promise<ChangeSet | undefined> {
    const fresh = events.filter((event) => BigInt(event.modRevision) > this.base);
    if (fresh.length === 0) return undefined;
    for (const event of fresh) {
      const revision = BigInt(event.modRevision);
      if (revision > this.revision) this.revision = revision;
    }
    if (this.tree) {
      const changes = fresh.map((event) =>
        event.type === 'DELETE' ? { key: event.key, value: null } : toChange(event),
      );
      const result = this.tree.apply(changes);
      return this.fromTree(result.state, result.delta);
    }
    for (const event of fresh) {
      if (event.key !== this.keyName()) continue;
      this.document =
        event.type === 'DELETE' ? undefined : { text: event.value, modRevision: event.modRevision };
    }
    return this.fromDocument();
  }

  private rebase(revision: bigint): void {
    this.base = revision;
    this.revision = revision;
  }

  private newTree(prefix: string): KeyTree {
    return new KeyTree({
      source: this.source,
      prefix,
      describe: (key) => `etcd key ${key}`,
      origin: etcdOrigin,
    });
  }

  private async settle(
    build: () => ChangeSet | undefined | Promise<ChangeSet | undefined>,
  ): Promise<LoadResult> {
    try {
      const change = await build();
      return change ? { change } : {};
    } catch (error) {
      if (error instanceof ConfigError) return { problem: error };
      throw error;
    }
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
