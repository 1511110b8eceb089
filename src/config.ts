import type { ConfigChange, Explanation, LoadOptions, WatchOptions } from './config-types.js';
import { ConfigError, toConfigError } from './reader/errors.js';
import { explainPath } from './reader/explain.js';
import type { DroppedKey, LayerInput } from './reader/layers.js';
import { formatPath, type PathInput, toPath } from './reader/path.js';
import { uniformOrigins } from './reader/provenance.js';
import { type Shape, shapeOf } from './reader/schema-shape.js';
import type { StandardSchemaV1 } from './reader/standard-schema.js';
import { deepFreeze, getPath, hasPath, isPlainObject, setPath } from './reader/tree.js';
import { Value } from './reader/value.js';
import { Observable, Subject } from './rx.js';
import { Snapshot } from './snapshot.js';
import type { ChangeSet, ConfigData, Source } from './sources/source.js';
import type { DeepReadonly, PathOf, ValueAt } from './types.js';
import { type BuildResult, buildSnapshotValue } from './watcher/build.js';
import { reconcile } from './watcher/diff.js';
import { PathFanout } from './watcher/fanout.js';
import { readAll } from './watcher/read-sources.js';
import { ReloadQueue } from './watcher/reload-queue.js';
import { SourceWatch } from './watcher/source-watch.js';

export type { ConfigChange, Explanation, LoadOptions, WatchOptions } from './config-types.js';

const DEFAULTS_SOURCE = 'defaults';
const OVERRIDES_SOURCE = 'set';

/**
 * A live, typed configuration: the current snapshot plus ways to read, observe, explain and
 * override it. Created by {@link loadConfig}.
 */
export class Config<T = Record<string, unknown>> {
  /** Every published change. */
  readonly changes$: Observable<ConfigChange<T>>;
  /** Failed reads, parse errors and validation failures after startup; the last good snapshot stays. */
  readonly errors$: Observable<ConfigError>;

  private snapshot: Snapshot;
  private readonly changesSubject = new Subject<ConfigChange<T>>();
  private readonly errorsSubject = new Subject<ConfigError>();
  private readonly fanout = new PathFanout();
  private readonly queue: ReloadQueue;
  private readonly watches: SourceWatch[] = [];
  /** Completes each open `watch()` subscription on close. */
  private readonly watchers = new Set<() => void>();
  private closing: Promise<void> | undefined;

  /** @internal Use {@link loadConfig}. */
  constructor(
    private readonly sources: readonly Source[],
    private latest: ChangeSet[],
    private overrides: ConfigData,
    private readonly build: (inputs: LayerInput[]) => Promise<BuildResult>,
    initial: BuildResult,
    private readonly options: LoadOptions,
    private readonly defaultsLayer: LayerInput,
  ) {
    this.snapshot = new Snapshot(deepFreeze(initial.value), 1, initial.layers);
    // On the next turn, so that code right after `await loadConfig()` can subscribe to errors$ first.
    if (initial.dropped.length > 0) setImmediate(() => this.reportDropped(initial.dropped));
    this.changes$ = this.changesSubject.asObservable();
    this.errors$ = this.errorsSubject.asObservable();
    this.queue = new ReloadQueue(options.debounceMs ?? 2, (pending) => this.applySourceChanges(pending));
  }

  /** The current snapshot, deep-frozen. Its identity changes only when its content changes. */
  get value(): DeepReadonly<T> {
    return this.snapshot.value as DeepReadonly<T>;
  }

  /** Increases by one with each published snapshot (starts at 1). */
  get version(): number {
    return this.snapshot.version;
  }

  /** The value at a dotted path or a key array; `undefined` when absent. Cached per snapshot. */
  get<P extends PathOf<T>>(path: P): ValueAt<T, P>;
  get(path: readonly (string | number)[]): unknown;
  get(path: PathInput): unknown {
    return this.snapshot.get(path);
  }

  /** Whether the path exists in the current snapshot. */
  has(path: PathOf<T> | readonly (string | number)[]): boolean {
    return hasPath(this.snapshot.value, toPath(path as PathInput));
  }

  /** A {@link Value} with go-config accessors and fallbacks: `config.at('server.timeout').duration(5000)`. */
  at(path: PathOf<T> | readonly (string | number)[]): Value {
    const keys = toPath(path as PathInput);
    return new Value(this.snapshot.get(path as PathInput), formatPath(keys));
  }

  /** Where the value at `path` came from, and what it overrode. */
  explain(path: PathOf<T> | readonly (string | number)[]): Explanation {
    return explainPath(this.snapshot.layers, this.snapshot.value, toPath(path as PathInput));
  }

  /**
   * Observes the value at `path` (the whole tree when omitted): the current value on subscribe, then
   * each new value when it changes. An unchanged key never emits, however often others change.
   */
  watch<P extends PathOf<T>>(path: P, options?: WatchOptions): Observable<ValueAt<T, P>>;
  watch(path?: readonly (string | number)[], options?: WatchOptions): Observable<unknown>;
  watch(path?: PathInput, options: WatchOptions = {}): Observable<unknown> {
    const keys = path === undefined ? [] : toPath(path);
    return new Observable<unknown>((subscriber) => {
      const current = getPath(this.snapshot.value, keys);
      if (this.closing) {
        if (options.emitCurrent !== false) subscriber.next(current);
        subscriber.complete();
        return;
      }
      const remove = this.fanout.add(keys, current, (value) => subscriber.next(value));
      const complete = (): void => subscriber.complete();
      this.watchers.add(complete);
      if (options.emitCurrent !== false) subscriber.next(current);
      return () => {
        this.watchers.delete(complete);
        remove();
      };
    });
  }

  /** Sets a runtime override (above every source). Resolves once published; rejects with `VALIDATION`. */
  async set(path: PathOf<T> | readonly (string | number)[], value: unknown): Promise<void> {
    const keys = toPath(path as PathInput);
    const next = structuredClone(this.overrides);
    setPath(next, keys, structuredClone(value));
    await this.applyOverrides(next, 'set');
  }

  /** Removes a runtime override made with `set`; the sources' value shows again. */
  async delete(path: PathOf<T> | readonly (string | number)[]): Promise<void> {
    const keys = toPath(path as PathInput);
    const next = structuredClone(this.overrides);
    const parent = getPath(next, keys.slice(0, -1));
    const last = keys[keys.length - 1];
    if (last === undefined) {
      await this.applyOverrides({}, 'delete');
      return;
    }
    if (isPlainObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
    await this.applyOverrides(next, 'delete');
  }

  /** Re-reads every source now; resolves after the result is published or rejected. */
  async sync(): Promise<void> {
    this.assertOpen();
    // Read inside the queue, so that a watch change committed meanwhile is never overwritten by older data.
    await this.queue.run(async () => {
      const read = await readAll(this.sources, this.options.readTimeoutMs);
      await this.commit(read, this.overrides, 'sync');
      this.latest = read;
    });
  }

  /** Stops all watchers and timers and releases every handle. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const watch of this.watches) watch.stop();
      this.queue.close();
      await Promise.allSettled(this.sources.map((source) => source.close?.()));
      this.changesSubject.complete();
      this.errorsSubject.complete();
      for (const complete of [...this.watchers]) complete();
    })();
    return this.closing;
  }

  /** `await using config = await loadConfig(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * @internal Subscribes every source's watch, on the next turn of the event loop, so that code
   * right after `await loadConfig()` can subscribe to `errors$` before the first watch error.
   */
  startWatching(): void {
    setImmediate(() => {
      if (!this.closing) this.subscribeSources();
    });
  }

  private subscribeSources(): void {
    this.sources.forEach((source, index) => {
      source.onError?.((error) => this.reportError(error));
      if (!source.watch) return;
      const watch = new SourceWatch(
        source,
        {
          change: (changeSet) => this.queue.push(index, changeSet),
          error: (error) => this.reportError(error),
        },
        this.options.watchBackoff,
      );
      this.watches.push(watch);
      watch.start();
    });
  }

  /** Reports each unsafe key a source supplied: left out of the merge, named on errors$ as `UNSAFE_KEY`. */
  private reportDropped(dropped: readonly DroppedKey[]): void {
    for (const { source, path } of dropped) {
      const where = formatPath(path);
      this.reportError(
        new ConfigError(
          'UNSAFE_KEY',
          `${source}: ignored the key at ${where}: keys named __proto__ are never merged (they could replace an object's prototype)`,
          { source, path: where },
        ),
      );
    }
  }

  private reportError(error: ConfigError): void {
    if (!this.closing) this.errorsSubject.next(error);
  }

  private assertOpen(): void {
    if (this.closing) throw new ConfigError('CLOSED', 'the config is closed');
  }

  private async applyOverrides(next: ConfigData, trigger: string): Promise<void> {
    this.assertOpen();
    await this.queue.run(async () => {
      await this.commit(this.latest, next, trigger);
      this.overrides = next;
    });
  }

  /**
   * Applies gathered source changes; a failure is reported and the sources keep their last good data.
   * When a batch of several sources fails, they are applied one at a time, so that one source's bad
   * change cannot drop another's valid one (each source emits a change only once).
   */
  private async applySourceChanges(pending: ReadonlyMap<number, ChangeSet>): Promise<void> {
    const changes = [...pending].filter(
      ([index, changeSet]) => this.latest[index]?.checksum !== changeSet.checksum,
    );
    if (changes.length === 0) return;
    try {
      await this.commitSourceChanges(changes);
      return;
    } catch (error) {
      if (changes.length === 1) {
        this.reportError(toConfigError(error, 'SOURCE_READ', (changes[0] as [number, ChangeSet])[1].source));
        return;
      }
    }
    for (const change of changes) {
      try {
        await this.commitSourceChanges([change]);
      } catch (error) {
        this.reportError(toConfigError(error, 'SOURCE_READ', change[1].source));
      }
    }
  }

  private async commitSourceChanges(changes: readonly (readonly [number, ChangeSet])[]): Promise<void> {
    const next = [...this.latest];
    for (const [index, changeSet] of changes) next[index] = changeSet;
    await this.commit(next, this.overrides, changes.map(([, changeSet]) => changeSet.source).join(','));
    this.latest = next;
  }

  /** The transaction: merge → coerce → validate → diff → publish. Throws, publishing nothing, on failure. */
  private async commit(
    changeSets: readonly ChangeSet[],
    overrides: ConfigData,
    trigger: string,
  ): Promise<void> {
    const result = await this.build(this.layerInputs(changeSets, overrides));
    if (this.closing) return;
    this.reportDropped(result.dropped);
    const previous = this.snapshot;
    const { value, changed, changedPaths } = reconcile(previous.value, result.value);
    if (changed.length === 0) {
      this.snapshot = previous.withLayers(result.layers);
      return;
    }
    this.snapshot = new Snapshot(deepFreeze(value), previous.version + 1, result.layers);
    this.changesSubject.next({
      version: this.snapshot.version,
      previous: previous.value as DeepReadonly<T>,
      current: value as DeepReadonly<T>,
      changed,
      source: trigger,
    });
    this.fanout.publish(value, changedPaths);
  }

  private layerInputs(changeSets: readonly ChangeSet[], overrides: ConfigData): LayerInput[] {
    return [
      this.defaultsLayer,
      ...changeSets.map(
        (changeSet): LayerInput => ({
          source: changeSet.source,
          data: changeSet.data,
          origins: changeSet.origins,
          resolve: changeSet.resolve?.bind(changeSet),
        }),
      ),
      { source: OVERRIDES_SOURCE, data: overrides, origins: uniformOrigins({ set: true }) },
    ];
  }
}

/**
 * Loads the merged, validated configuration from its sources and (by default) keeps it live.
 * Rejects with a {@link ConfigError} naming the source when a required source fails, or with
 * `VALIDATION` when the merged tree does not satisfy the schema. When it rejects, it has already
 * closed the sources it was given, so no client keeps the process alive; create new ones to retry.
 *
 * @example
 * const config = await loadConfig({ schema: Schema, sources: [file('config.yaml'), env({ prefix: 'APP_' })] });
 * config.get('server.port'); // number
 */
export async function loadConfig<S extends StandardSchemaV1>(
  options: LoadOptions<S> & { schema: S },
): Promise<Config<StandardSchemaV1.InferOutput<S>>>;
export async function loadConfig(options?: LoadOptions<undefined>): Promise<Config<Record<string, unknown>>>;
export async function loadConfig(options: LoadOptions = {}): Promise<Config<Record<string, unknown>>> {
  const sources = options.sources ?? [];
  const shape: Shape | undefined = options.schema ? shapeOf(options.schema) : undefined;
  const build = (inputs: LayerInput[]): Promise<BuildResult> =>
    buildSnapshotValue(inputs, options.schema, shape);
  const defaultsLayer: LayerInput = {
    source: DEFAULTS_SOURCE,
    data: structuredClone(options.defaults ?? {}),
    origins: uniformOrigins({ default: true }),
  };
  let read: ChangeSet[];
  let initial: BuildResult;
  try {
    read = await readAll(sources, options.readTimeoutMs);
    initial = await build([defaultsLayer, ...read, { source: OVERRIDES_SOURCE, data: {} }]);
  } catch (error) {
    // Nobody can close a config that was never returned: release the sources' clients now.
    await Promise.allSettled(sources.map((source) => source.close?.()));
    throw error;
  }
  const config = new Config<Record<string, unknown>>(
    sources,
    read,
    {},
    build,
    initial,
    options,
    defaultsLayer,
  );
  if (options.watch !== false) config.startWatching();
  return config;
}
