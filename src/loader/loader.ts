import type { PathFanout } from '../publish/fanout.js';
import { Publisher } from '../publish/publisher.js';
import { Snapshot } from '../publish/snapshot.js';
import type { ConfigChange, HistoryEntry, SourceStatus } from '../publish/types.js';
import type { ChangeSet, ConfigData, Parser, Resolver } from '../reader/contract.js';
import { ConfigError } from '../reader/errors.js';
import type { Shape } from '../reader/schema-shape.js';
import type { StandardSchemaV1 } from '../reader/standard-schema.js';
import { deepFreeze } from '../reader/tree.js';
import type { LazySubject } from '../rx/lazy.js';
import type { Source } from '../source-kit/source.js';
import { closedError, isClosedError } from './abort.js';
import type { BuildResult } from './build.js';
import { Committer, type Plan } from './commit.js';
import { ReloadQueue } from './queue.js';
import { ErrorReporter, type LoaderHooks } from './report.js';
import type { ResolveMemo } from './resolve-memo.js';
import type { ResolverStage } from './resolvers.js';
import { applySourceChanges } from './source-changes.js';
import { type SourceEntry, SourceSet } from './source-set.js';
import { reportUnsafeKeys } from './unsafe-keys.js';

export type { LoaderHooks } from './report.js';

/** Settings of a {@link Loader}, from `loadConfig`'s options. */
export interface LoaderSettings {
  schema: StandardSchemaV1 | undefined;
  shape: Shape | undefined;
  defaults: ConfigData;
  resolvers: readonly Resolver[];
  debounceMs: number;
  readTimeoutMs: number;
  /** How long one resolver call may take before it fails with `TIMEOUT`. */
  resolveTimeoutMs: number;
  watchBackoff: { initialMs?: number; maxMs?: number } | undefined;
  historySize: number;
  /** Apply deltas along their paths (default); false rebuilds every change fully. */
  incremental: boolean;
  /** Handed to every source's `attach()` before its first read. */
  parsers: readonly Parser[];
}

/** What {@link bootstrap} hands the loader: the sources, their first data and the first build. */
export interface Bootstrapped {
  settings: LoaderSettings;
  sources: readonly Source[];
  initial: readonly ChangeSet[];
  result: BuildResult;
  memo: ResolveMemo;
  resolvers: ResolverStage;
}

/**
 * The reload transaction: holds the sources, their latest data, the `set()` overrides and the
 * current snapshot; runs every change (source change, `set`, `delete`, `sync`, `addSource`,
 * `removeSource`) through one queue as read → shape → resolve → merge → coerce → validate → diff →
 * publish, incrementally along a ChangeSet's delta where it can. A failure publishes nothing.
 */
export class Loader {
  private readonly publisher: Publisher;
  private readonly reporter: ErrorReporter;
  private readonly sources: SourceSet;
  private readonly committer: Committer;
  private readonly queue: ReloadQueue<SourceEntry>;
  private overrides: ConfigData = {};
  private readonly closeController = new AbortController();
  private closing: Promise<void> | undefined;

  /** @internal Built by the facade from {@link bootstrap}'s result, with its hooks. */
  constructor(
    boot: Bootstrapped,
    private readonly hooks: LoaderHooks,
  ) {
    const { settings, result } = boot;
    this.reporter = new ErrorReporter(hooks);
    this.publisher = new Publisher(
      new Snapshot(deepFreeze(result.value), 1, result.layers),
      settings.historySize,
    );
    this.queue = new ReloadQueue(settings.debounceMs, (pending) =>
      applySourceChanges(pending, {
        sources: this.sources,
        overrides: () => this.overrides,
        commit: (plan) => this.committer.commit(plan),
      }),
    );
    this.sources = new SourceSet(boot.sources, boot.initial, settings, this.reporter, (entry, changeSet) =>
      this.queue.push(entry, changeSet),
    );
    this.committer = new Committer(result, this.sources, this.publisher, {
      defaults: settings.defaults,
      incremental: settings.incremental,
      context: {
        schema: settings.schema,
        shape: settings.shape,
        memo: boot.memo,
        resolvers: boot.resolvers,
        signal: this.closeController.signal,
      },
      reportDropped: (built) => this.reportDropped(built),
      closed: () => this.closed,
    });
    // On the next turn, so that code right after `await loadConfig()` can subscribe to errors$ first.
    if (result.dropped.length > 0) setImmediate(() => this.reportDropped(result));
  }

  /** The current snapshot. */
  get snapshot(): Snapshot {
    return this.publisher.snapshot;
  }

  /** Every published change (completes on close). */
  get changes(): LazySubject<ConfigChange<Record<string, unknown>>> {
    return this.publisher.changes;
  }

  /** Failed reads, parse and validation failures after startup, redacted (completes on close). */
  get errors(): LazySubject<ConfigError> {
    return this.reporter.errors;
  }

  /** Path subscribers. */
  get fanout(): PathFanout {
    return this.publisher.fanout;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Subscribes every source's watch on the next turn (after the caller could subscribe to errors$). */
  startWatching(): void {
    setImmediate(() => {
      if (this.closed) return;
      for (const entry of this.sources.entries) this.sources.watch(entry);
    });
  }

  /** Resolves once every change received so far has been applied (published or rejected). */
  settled(): Promise<void> {
    return this.queue.settled();
  }

  /** Each source's health. */
  sourceStatuses(redact: (text: string) => string): SourceStatus[] {
    return this.sources.statuses(redact);
  }

  /** The published changes, newest first. */
  historyEntries(): HistoryEntry[] {
    return this.publisher.historyEntries();
  }

  /** Applies `change` to the overrides as they are at its turn in the queue (no write lost to a race). */
  updateOverrides(
    trigger: 'set' | 'delete',
    change: (current: ConfigData) => { next: ConfigData; paths: (readonly string[])[] },
  ): Promise<void> {
    return this.guarded(async () => {
      const { next, paths } = change(this.overrides);
      const { entries } = this.sources;
      const clean = this.sources.cleanExcept();
      const plan = (changeSets: ChangeSet[]): Plan => ({
        entries,
        changeSets,
        overrides: next,
        trigger: [trigger],
        delta: clean ? { layer: entries.length + 1, paths } : undefined,
      });
      try {
        await this.committer.commit(plan(entries.map((entry) => entry.latest)));
      } catch (error) {
        // A source's rejected edit is pending: apply the override over the published data instead.
        if (clean || isClosedError(error)) throw error;
        await this.committer.commit(plan(entries.map((entry) => entry.committed)));
      }
      this.overrides = next;
    });
  }

  /** Re-reads every source now; resolves once the result is published or rejected. */
  sync(signal?: AbortSignal): Promise<void> {
    return this.guarded(async () => {
      const { entries } = this.sources;
      const read = await Promise.all(entries.map((entry) => this.sources.read(entry, signal)));
      await this.committer.commit({
        entries,
        changeSets: read,
        overrides: this.overrides,
        trigger: ['sync'],
      });
    });
  }

  /** Adds a source at `index` (default: last, highest priority) as one transaction. */
  addSource(source: Source, index?: number, signal?: AbortSignal): Promise<void> {
    return this.guarded(async () => {
      this.sources.assertNew(source);
      let entry: SourceEntry;
      try {
        entry = await this.sources.readNew(source, signal);
        const entries = [...this.sources.entries];
        const at = index ?? entries.length;
        entries.splice(Math.max(0, Math.min(at, entries.length)), 0, entry);
        await this.committer.commit({
          entries,
          changeSets: entries.map((item) => item.latest),
          overrides: this.overrides,
          trigger: [source.name],
        });
      } catch (error) {
        await source.close?.();
        throw error;
      }
      this.sources.watch(entry);
    });
  }

  /** Removes a source as one transaction; its watch stops and it is closed. */
  removeSource(source: Source): Promise<void> {
    return this.guarded(async () => {
      const entry = this.sources.find(source);
      if (!entry) {
        throw new ConfigError('NOT_FOUND', `${source.name}: the source is not part of this config`, {
          source: source.name,
        });
      }
      const entries = this.sources.entries.filter((item) => item !== entry);
      await this.committer.commit({
        entries,
        changeSets: entries.map((item) => item.latest),
        overrides: this.overrides,
        trigger: [source.name],
      });
      await this.sources.remove(entry);
    });
  }

  /**
   * Stops every watch and timer, rejects the running and queued transactions with `CLOSED`, closes
   * every source and completes the streams. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closeController.abort(closedError());
      this.queue.close();
      await this.sources.close();
      this.changes.complete();
      this.reporter.close();
      this.hooks.onClose?.();
    })();
    return this.closing;
  }

  /** Runs a transaction in the queue (`CLOSED` once closed); its rejection has secrets masked. */
  private guarded(transaction: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    return this.queue.run(transaction).catch((error: unknown) => {
      throw error instanceof ConfigError ? this.reporter.redact(error) : error;
    });
  }

  private reportDropped(result: BuildResult): void {
    reportUnsafeKeys(result.dropped, (error) => this.reporter.report(error));
  }
}
