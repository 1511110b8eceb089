import type { PathFanout } from '../publish/fanout.js';
import { SourceHealth } from '../publish/history.js';
import { Publisher } from '../publish/publisher.js';
import { Snapshot } from '../publish/snapshot.js';
import type { ConfigChange, HistoryEntry, SourceStatus } from '../publish/types.js';
import type { ChangeSet, ConfigData, Parser, Resolver } from '../reader/contract.js';
import { ConfigError, toConfigError } from '../reader/errors.js';
import type { DroppedKey } from '../reader/layers.js';
import { formatPath } from '../reader/path.js';
import type { Shape } from '../reader/schema-shape.js';
import type { StandardSchemaV1 } from '../reader/standard-schema.js';
import { deepFreeze } from '../reader/tree.js';
import { LazySubject } from '../rx/lazy.js';
import type { Source } from '../source-kit/source.js';
import { type BuildContext, type BuildResult, buildFull } from './build.js';
import { type Built, buildIncrementally } from './build-incremental.js';
import { layerSpecs } from './layer-specs.js';
import { ReloadQueue } from './queue.js';
import { readSource } from './read.js';
import type { ResolveMemo } from './resolve-memo.js';
import type { ResolverStage } from './resolvers.js';
import { SourceWatch } from './source-watch.js';

/** Settings of a {@link Loader}, from `loadConfig`'s options. */
export interface LoaderSettings {
  schema: StandardSchemaV1 | undefined;
  shape: Shape | undefined;
  defaults: ConfigData;
  resolvers: readonly Resolver[];
  debounceMs: number;
  readTimeoutMs: number;
  watchBackoff: { initialMs?: number; maxMs?: number } | undefined;
  historySize: number;
  /** Apply deltas along their paths (default); false rebuilds every change fully. */
  incremental: boolean;
  /** Handed to every source's `attach()` before its first read. */
  parsers: readonly Parser[];
}

/** One source and what the loader knows of it. */
interface SourceEntry {
  readonly source: Source;
  /** The newest ChangeSet received, accepted or not: every reload merges every source's latest data. */
  latest: ChangeSet;
  /** The ChangeSet the current snapshot was built from. */
  committed: ChangeSet;
  readonly health: SourceHealth;
  watch?: SourceWatch;
  removed: boolean;
}

/** What one transaction commits. */
interface Plan {
  entries: readonly SourceEntry[];
  changeSets: readonly ChangeSet[];
  overrides: ConfigData;
  trigger: readonly string[];
  /**
   * A change of one layer (index; 0 = defaults) that can be applied along its paths: the delta's paths,
   * or none, and then the paths are found by diffing the layer's old and new data (cost: that layer).
   */
  delta?: { layer: number; paths?: readonly (readonly string[])[] };
}

/**
 * The reload transaction: holds the sources, their latest data, the `set()` overrides and the
 * current snapshot; runs every change (source change, `set`, `delete`, `sync`, `addSource`,
 * `removeSource`) through one queue as read → shape → resolve → merge → coerce → validate → diff →
 * publish, incrementally along a ChangeSet's delta where it can. A failure publishes nothing.
 */
export class Loader {
  readonly errors = new LazySubject<ConfigError>();
  private readonly publisher: Publisher;
  private entries: SourceEntry[];
  private overrides: ConfigData = {};
  private built: Built;
  private readonly queue: ReloadQueue<SourceEntry>;
  private readonly memo: ResolveMemo;
  private readonly resolvers: ResolverStage;
  private readonly closeController = new AbortController();
  private closing: Promise<void> | undefined;
  /** Called once the config closes (the facade completes its watchers). */
  onClose: (() => void) | undefined;
  /** Masks secrets in an error before anyone sees it (set by the facade). */
  redactError: (error: ConfigError) => ConfigError = (error) => error;
  /** Reports an error nobody observes (the facade warns through process.emitWarning). */
  onUnobservedError: ((error: ConfigError) => void) | undefined;

  /** @internal Built by {@link bootstrap}. */
  constructor(
    private readonly settings: LoaderSettings,
    sources: readonly Source[],
    initial: readonly ChangeSet[],
    result: BuildResult,
    memo: ResolveMemo,
    resolvers: ResolverStage,
  ) {
    this.memo = memo;
    this.resolvers = resolvers;
    this.entries = sources.map((source, index) => this.entryFor(source, initial[index] as ChangeSet));
    this.built = { merged: result.merged, layers: result.layers, resolvedBy: result.resolvedBy };
    this.publisher = new Publisher(
      new Snapshot(deepFreeze(result.value), 1, result.layers),
      settings.historySize,
    );
    this.queue = new ReloadQueue(settings.debounceMs, (pending) => this.applySourceChanges(pending));
    // On the next turn, so that code right after `await loadConfig()` can subscribe to errors$ first.
    if (result.dropped.length > 0) setImmediate(() => this.reportDropped(result.dropped));
  }

  /** The current snapshot. */
  get snapshot(): Snapshot {
    return this.publisher.snapshot;
  }

  /** Every published change (completes on close). */
  get changes(): LazySubject<ConfigChange<Record<string, unknown>>> {
    return this.publisher.changes;
  }

  /** Path subscribers. */
  get fanout(): PathFanout {
    return this.publisher.fanout;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Aborted when the config closes. */
  get closeSignal(): AbortSignal {
    return this.closeController.signal;
  }

  /** Subscribes every source's watch on the next turn (after the caller could subscribe to errors$). */
  startWatching(): void {
    setImmediate(() => {
      if (this.closed) return;
      for (const entry of this.entries) this.watchEntry(entry);
    });
  }

  /** Resolves once every change received so far has been applied (published or rejected). */
  settled(): Promise<void> {
    return this.queue.settled();
  }

  /** Each source's health. */
  sourceStatuses(redact: (text: string) => string): SourceStatus[] {
    return this.entries.map((entry) => entry.health.status(redact));
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
    if (this.closed) return Promise.reject(closedError());
    return this.guarded(async () => {
      const { next, paths } = change(this.overrides);
      const clean = this.cleanState();
      const plan = (changeSets: ChangeSet[]): Plan => ({
        entries: this.entries,
        changeSets,
        overrides: next,
        trigger: [trigger],
        delta: clean ? { layer: this.entries.length + 1, paths } : undefined,
      });
      try {
        await this.commit(plan(this.entries.map((entry) => entry.latest)));
      } catch (error) {
        // A source's rejected edit is pending: apply the override over the published data instead.
        if (clean || isClosedError(error)) throw error;
        await this.commit(plan(this.entries.map((entry) => entry.committed)));
      }
      this.overrides = next;
    });
  }

  /** Re-reads every source now; resolves once the result is published or rejected. */
  sync(signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    return this.guarded(async () => {
      const read = await Promise.all(this.entries.map((entry) => this.read(entry, signal)));
      await this.commit({
        entries: this.entries,
        changeSets: read,
        overrides: this.overrides,
        trigger: ['sync'],
      });
    });
  }

  /** Adds a source at `index` (default: last, highest priority) as one transaction. */
  addSource(source: Source, index = this.entries.length, signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    return this.guarded(async () => {
      if (this.entries.some((entry) => entry.source === source)) {
        throw new ConfigError('INVALID_ARGUMENT', `${source.name}: the source was added already`, {
          source: source.name,
        });
      }
      let entry: SourceEntry;
      try {
        source.attach?.({ parsers: this.settings.parsers });
        const changeSet = await readSource(source, this.settings.readTimeoutMs, signal);
        entry = this.entryFor(source, changeSet);
        const entries = [...this.entries];
        entries.splice(Math.max(0, Math.min(index, entries.length)), 0, entry);
        await this.commit({
          entries,
          changeSets: entries.map((item) => item.latest),
          overrides: this.overrides,
          trigger: [source.name],
        });
      } catch (error) {
        await source.close?.();
        throw error;
      }
      this.watchEntry(entry);
    });
  }

  /** Removes a source as one transaction; its watch stops and it is closed. */
  removeSource(source: Source): Promise<void> {
    if (this.closed) return Promise.reject(closedError());
    return this.guarded(async () => {
      const entry = this.entries.find((item) => item.source === source);
      if (!entry) {
        throw new ConfigError('NOT_FOUND', `${source.name}: the source is not part of this config`, {
          source: source.name,
        });
      }
      const entries = this.entries.filter((item) => item !== entry);
      await this.commit({
        entries,
        changeSets: entries.map((item) => item.latest),
        overrides: this.overrides,
        trigger: [source.name],
      });
      entry.removed = true;
      entry.watch?.stop();
      await source.close?.();
    });
  }

  /** Stops every watch and timer, closes every source, completes the streams. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closeController.abort(new ConfigError('CLOSED', 'the config is closed'));
      for (const entry of this.entries) entry.watch?.stop();
      this.queue.close();
      await Promise.allSettled(this.entries.map((entry) => entry.source.close?.()));
      this.changes.complete();
      this.errors.complete();
      this.onClose?.();
    })();
    return this.closing;
  }

  /** Reports an error on errors$ (or as a warning when nobody listens). */
  report(raw: ConfigError): void {
    if (this.closed) return;
    const error = this.redactError(raw);
    if (this.errors.observed) this.errors.next(error);
    else this.onUnobservedError?.(error);
  }

  private entryFor(source: Source, changeSet: ChangeSet): SourceEntry {
    const health = new SourceHealth(source.name);
    health.read(changeSet.timestamp instanceof Date ? changeSet.timestamp : new Date());
    return { source, latest: changeSet, committed: changeSet, health, removed: false };
  }

  private watchEntry(entry: SourceEntry): void {
    const { source } = entry;
    source.onError?.((error) => {
      if (entry.removed) return;
      entry.health.failed(this.redactError(error));
      this.report(error);
    });
    if (!source.watch || entry.removed) return;
    entry.watch = new SourceWatch(
      source,
      {
        change: (changeSet) => {
          entry.health.read();
          this.queue.push(entry, changeSet);
        },
        error: (error) => {
          entry.health.failed(this.redactError(error));
          this.report(error);
        },
      },
      this.settings.watchBackoff,
    );
    entry.watch.start();
  }

  private async read(entry: SourceEntry, signal?: AbortSignal): Promise<ChangeSet> {
    try {
      const changeSet = await readSource(entry.source, this.settings.readTimeoutMs, signal);
      entry.health.read();
      entry.latest = changeSet;
      return changeSet;
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = toConfigError(error, 'SOURCE_READ', entry.source.name);
      entry.health.failed(this.redactError(failure));
      throw failure;
    }
  }

  /** Runs a transaction in the queue; its rejection has secrets masked. */
  private guarded(transaction: () => Promise<void>): Promise<void> {
    return this.queue.run(transaction).catch((error: unknown) => {
      throw error instanceof ConfigError ? this.redactError(error) : error;
    });
  }

  /** Whether every source's latest data is what the snapshot was built from (no rejected data pending). */
  private cleanState(): boolean {
    return this.entries.every((entry) => entry.latest === entry.committed);
  }

  /**
   * Applies gathered source changes. Every reload merges every source's latest data, so a state that
   * becomes valid through another source's edit is published. When that fails, each change is tried
   * alone over the last published data, so that one source's bad change cannot hold back another's
   * valid one; the failure is reported and the bad data stays pending until it is fixed.
   */
  private async applySourceChanges(pending: ReadonlyMap<SourceEntry, readonly ChangeSet[]>): Promise<void> {
    const changed: SourceEntry[] = [];
    const deltaPaths = new Map<SourceEntry, (readonly string[])[] | undefined>();
    for (const [entry, list] of pending) {
      if (entry.removed) continue;
      const last = list[list.length - 1] as ChangeSet;
      if (last.checksum === entry.latest.checksum && entry.latest === entry.committed) continue;
      // Deltas chain only from the data the snapshot holds.
      let paths: (readonly string[])[] | undefined = entry.latest === entry.committed ? [] : undefined;
      for (const changeSet of list) {
        if (!paths || !changeSet.delta) paths = undefined;
        else paths.push(...changeSet.delta.set.map(([path]) => path), ...changeSet.delta.deleted);
      }
      entry.latest = last;
      changed.push(entry);
      deltaPaths.set(entry, paths);
    }
    if (changed.length === 0) return;
    const only = changed.length === 1 ? (changed[0] as SourceEntry) : undefined;
    const paths = only ? deltaPaths.get(only) : undefined;
    try {
      await this.commit({
        entries: this.entries,
        changeSets: this.entries.map((entry) => entry.latest),
        overrides: this.overrides,
        trigger: changed.map((entry) => entry.source.name),
        delta: only && this.cleanExcept(only) ? { layer: this.entries.indexOf(only) + 1, paths } : undefined,
      });
      return;
    } catch (error) {
      if (isClosedError(error)) return;
      if (changed.length === 1 && this.cleanExcept(only as SourceEntry)) {
        this.rejected(only as SourceEntry, error);
        return;
      }
    }
    for (const entry of changed) {
      try {
        await this.commit({
          entries: this.entries,
          changeSets: this.entries.map((item) => (item === entry ? item.latest : item.committed)),
          overrides: this.overrides,
          trigger: [entry.source.name],
        });
      } catch (error) {
        if (isClosedError(error)) return;
        this.rejected(entry, error);
      }
    }
  }

  private cleanExcept(except: SourceEntry): boolean {
    return this.entries.every((entry) => entry === except || entry.latest === entry.committed);
  }

  private rejected(entry: SourceEntry, error: unknown): void {
    const failure = toConfigError(error, 'SOURCE_READ', entry.source.name);
    entry.health.failed(this.redactError(failure));
    this.report(failure);
  }

  private context(): BuildContext {
    return {
      schema: this.settings.schema,
      shape: this.settings.shape,
      memo: this.memo,
      resolvers: this.resolvers,
      signal: this.closeController.signal,
    };
  }

  /** The transaction. Throws, publishing nothing, on failure; `CLOSED` when the config closes meanwhile. */
  private async commit(plan: Plan): Promise<void> {
    const specs = layerSpecs(this.settings.defaults, plan.changeSets, plan.overrides);
    const result = (await this.tryIncremental(plan, specs)) ?? (await buildFull(specs, this.context()));
    if (this.closed) throw new ConfigError('CLOSED', 'the config closed before the change was published');
    this.entries = [...plan.entries];
    plan.entries.forEach((entry, index) => {
      entry.committed = plan.changeSets[index] as ChangeSet;
    });
    this.built = { merged: result.merged, layers: result.layers, resolvedBy: result.resolvedBy };
    this.reportDropped(result.dropped);
    this.publish(result, plan);
    // Without a schema the value is the merged tree: keep the published one (shared, frozen) as both.
    if (!this.settings.schema) this.built.merged = this.snapshot.value as ConfigData;
  }

  /** The incremental build, when the plan carries a delta and nothing forces a full one. */
  private tryIncremental(plan: Plan, specs: ReturnType<typeof layerSpecs>): Promise<BuildResult | undefined> {
    const delta = plan.delta;
    if (!delta || !this.settings.incremental || plan.entries !== this.entries || this.resolvers.active) {
      return Promise.resolve(undefined);
    }
    return buildIncrementally(delta, specs, this.built, this.snapshot.value, this.context());
  }

  private publish(result: BuildResult, plan: Plan): void {
    if (!this.publisher.publish(result, plan.trigger)) return;
    const now = new Date();
    for (const entry of plan.entries) {
      if (plan.trigger.includes(entry.source.name)) entry.health.changed(now);
    }
  }

  /** Reports each unsafe key a source supplied: left out of the merge, named on errors$ as `UNSAFE_KEY`. */
  private reportDropped(dropped: readonly DroppedKey[]): void {
    for (const { source, path } of dropped) {
      const where = formatPath(path);
      this.report(
        new ConfigError(
          'UNSAFE_KEY',
          `${source}: ignored the key at ${where}: keys named __proto__ are never merged (they could replace an object's prototype)`,
          { source, path: where },
        ),
      );
    }
  }
}

function closedError(): ConfigError {
  return new ConfigError('CLOSED', 'the config is closed');
}

function isClosedError(error: unknown): boolean {
  return error instanceof ConfigError && error.code === 'CLOSED';
}
