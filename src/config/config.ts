import { type Bootstrapped, Loader } from '../loader/loader.js';
import type { ConfigError } from '../reader/errors.js';
import { explainPath } from '../reader/explain.js';
import { formatPath, type PathInput, toPath } from '../reader/path.js';
import type { StandardSchemaV1 } from '../reader/standard-schema.js';
import { getPath, hasPath } from '../reader/tree.js';
import type { DeepReadonly, PathOf, ValueAt } from '../reader/typed-paths.js';
import { Value } from '../reader/value.js';
import type { Observable } from '../rx/index.js';
import { observable } from '../rx/lazy.js';
import type { Source } from '../source-kit/source.js';
import { bootstrap } from './bootstrap.js';
import { notFoundError } from './not-found.js';
import { deleteOverride, setOverride } from './overrides.js';
import { type ConfigRedaction, RedactionService } from './redaction.js';
import type {
  ConfigChange,
  Explanation,
  HistoryEntry,
  LoadOptions,
  SourceStatus,
  ValuesOptions,
  WatchOptions,
} from './types.js';
import { iterateValues } from './values.js';

/** Token that only {@link loadConfig} holds: `Config` has no public constructor. */
const CREATE = Symbol('livecfg.createConfig');

/** Set by `Config`'s static block: the one way to make a Config. */
let createConfig: (boot: Bootstrapped, redaction: RedactionService, options: LoadOptions) => Config<unknown>;

/** The stable code of the warning an error gets when nothing subscribes to `errors$`. */
export const UNOBSERVED_ERROR_WARNING = 'LIVECFG_UNOBSERVED_ERROR';

type PathArg<T> = PathOf<T> | readonly (string | number)[];

/**
 * A live, typed configuration: the current snapshot plus ways to read, observe, explain and
 * override it. Created by {@link loadConfig}; a thin facade over the loader, which runs every change
 * as one transaction. (~300 lines of one-line delegations: the public API in one place, on purpose.)
 */
export class Config<T = Record<string, unknown>> {
  private changesObservable: Observable<ConfigChange<T>> | undefined;
  private errorsObservable: Observable<ConfigError> | undefined;
  /** Completes each open `watch()` subscription and `values()` iteration on close. */
  private readonly endings = new Set<() => void>();
  /**
   * The one redaction service of this config (key names, schema marks, the `secrets` option, resolved
   * values, secret variables, secret shapes in text): the inspector, the CLI, history and error
   * messages all use it. It judges each message against the snapshot it is about.
   */
  readonly redaction: ConfigRedaction;
  /** The schema given to `loadConfig` (or `undefined`): the inspector shows each key's description from it. */
  readonly schema: StandardSchemaV1 | undefined;
  private readonly loader: Loader;

  private constructor(token: typeof CREATE, boot: Bootstrapped, redaction: RedactionService) {
    if (token !== CREATE) throw new TypeError('use loadConfig() to create a Config');
    this.redaction = redaction;
    this.schema = boot.settings.schema;
    this.loader = new Loader(boot, {
      // First of all: what a change retired is recorded before anyone redacts it.
      onPublish: (change) => redaction.observe(change),
      onClose: () => {
        for (const end of [...this.endings]) end();
      },
      redactError: (error) => this.redaction.redactError(error),
      onUnobservedError: (error) => {
        process.emitWarning(this.redaction.redactText(error.message), {
          type: 'LivecfgWarning',
          code: UNOBSERVED_ERROR_WARNING,
        });
      },
    });
    redaction.follow(() => this.loader.snapshot);
  }

  static {
    createConfig = (boot, redaction, options) => {
      const config = new Config(CREATE, boot, redaction);
      if (options.watch !== false) config.loader.startWatching();
      return config as Config<unknown>;
    };
  }

  /** Every published change. Completes when the config closes. */
  get changes$(): Observable<ConfigChange<T>> {
    this.changesObservable ??= this.loader.changes.asObservable() as Observable<ConfigChange<T>>;
    return this.changesObservable;
  }

  /**
   * Failed reads, parse errors and validation failures after startup; the last good snapshot stays.
   * While nothing subscribes, each error is reported with `process.emitWarning` (code
   * `LIVECFG_UNOBSERVED_ERROR`) instead, so that a broken edit is never dropped without a word.
   */
  get errors$(): Observable<ConfigError> {
    this.errorsObservable ??= this.loader.errors.asObservable();
    return this.errorsObservable;
  }

  /** The current snapshot, deep-frozen. Its identity changes only when its content changes. */
  get value(): DeepReadonly<T> {
    return this.loader.snapshot.value as DeepReadonly<T>;
  }

  /** Increases by one with each published snapshot (starts at 1). */
  get version(): number {
    return this.loader.snapshot.version;
  }

  /** The value at a dotted path or a key array; `undefined` when absent. Cached per snapshot. */
  get<P extends PathOf<T>>(path: P): ValueAt<T, P>;
  get(path: readonly (string | number)[]): unknown;
  get(path: PathInput): unknown {
    return this.loader.snapshot.get(path);
  }

  /** Whether the path exists in the current snapshot (a `null` value does); takes the paths `get` takes. */
  has(path: PathArg<T>): boolean {
    return hasPath(this.loader.snapshot.value, toPath(path as PathInput));
  }

  /**
   * The value at `path`, like {@link Config.get}, but never `undefined`: when there is no value it
   * throws a `NOT_FOUND` {@link ConfigError} whose message names the path (as `formatPath` writes it,
   * so it can be fed back) and the sources that were asked, never a value.
   *
   * @example
   * config.getOrThrow('database.url') // string, or NOT_FOUND: "database.url: not found; sources asked: file:config.yaml, env:APP_"
   */
  getOrThrow<P extends PathOf<T>>(path: P): Exclude<ValueAt<T, P>, undefined>;
  getOrThrow(path: readonly (string | number)[]): unknown;
  getOrThrow(path: PathInput): unknown {
    const { snapshot } = this.loader;
    const value = snapshot.get(path);
    if (value !== undefined) return value;
    const names = this.sources().map((source) => source.name);
    // A source's name may carry a credential (a URL with a password): the message goes through redaction.
    throw this.redaction.redactError(notFoundError(snapshot.value, toPath(path), names));
  }

  /** A {@link Value} with go-config accessors and fallbacks: `config.at('server.timeout').duration(5000)`. */
  at(path: PathArg<T>): Value {
    const keys = toPath(path as PathInput);
    return new Value(this.loader.snapshot.get(path as PathInput), formatPath(keys));
  }

  /** Where the value at `path` came from, and what it overrode (a resolved secret shows `resolvedBy`, not its value). */
  explain(path: PathArg<T>): Explanation {
    const { snapshot } = this.loader;
    return explainPath(snapshot.layers, snapshot.value, toPath(path as PathInput));
  }

  /**
   * Observes the value at `path` (the whole tree when omitted): the current value on subscribe, then
   * each new value when it changes. An unchanged key never emits, however often others change.
   */
  watch<P extends PathOf<T>>(path: P, options?: WatchOptions): Observable<ValueAt<T, P>>;
  watch(path?: readonly (string | number)[], options?: WatchOptions): Observable<unknown>;
  watch(path?: PathInput, options: WatchOptions = {}): Observable<unknown> {
    const keys = path === undefined ? [] : toPath(path);
    return observable<unknown>((subscriber) => {
      const current = getPath(this.loader.snapshot.value, keys);
      if (options.emitCurrent !== false) subscriber.next(current);
      if (this.loader.closed) {
        subscriber.complete();
        return;
      }
      const remove = this.loader.fanout.add(keys, current, (value) => subscriber.next(value));
      const complete = (): void => subscriber.complete();
      this.endings.add(complete);
      return () => {
        this.endings.delete(complete);
        remove();
      };
    });
  }

  /**
   * The value at `path` as an async iterable: the current value (unless `emitCurrent: false`), then
   * each change. It ends when the config closes; an abort of `signal` makes it throw an `AbortError`.
   *
   * @example
   * for await (const port of config.values('server.port', { signal })) server.rebind(port);
   */
  values<P extends PathOf<T>>(path: P, options?: ValuesOptions): AsyncIterableIterator<ValueAt<T, P>>;
  values(path?: readonly (string | number)[], options?: ValuesOptions): AsyncIterableIterator<unknown>;
  values(path?: PathInput, options: ValuesOptions = {}): AsyncIterableIterator<unknown> {
    return iterateValues(this.watch(path as readonly string[] | undefined, options), options.signal);
  }

  /**
   * Sets a runtime override (above every source), applied to the overrides as they are at its turn,
   * so concurrent calls never lose a write. The value is copied as plain data (a Date becomes its ISO
   * string, a URL its href; other class instances and functions are rejected with `INVALID_ARGUMENT`).
   * Resolves once published; rejects with `VALIDATION` (nothing published) or `CLOSED`.
   */
  async set(path: PathArg<T>, value: unknown): Promise<void> {
    return this.loader.updateOverrides('set', setOverride(path as PathInput, value));
  }

  /** Removes a runtime override made with `set`; the sources' value shows again. */
  async delete(path: PathArg<T>): Promise<void> {
    return this.loader.updateOverrides('delete', deleteOverride(path as PathInput));
  }

  /** Re-reads every source now; resolves after the result is published or rejected. */
  sync(options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.loader.sync(options.signal);
  }

  /**
   * Adds a source to the running config (go-config's `Load`): read, merged at `index` (default: last,
   * the highest priority), validated and published as one transaction; then watched. Rejects like any
   * change, and then closes the source.
   */
  addSource(source: Source, options: { index?: number; signal?: AbortSignal } = {}): Promise<void> {
    return this.loader.addSource(source, options.index, options.signal);
  }

  /** Removes a source as one transaction; its watch stops and it is closed once the change is published. */
  removeSource(source: Source): Promise<void> {
    return this.loader.removeSource(source);
  }

  /** Each source's health: last read, last change, status and last error (messages redacted). */
  sources(): SourceStatus[] {
    return this.loader.sourceStatuses((text) => this.redaction.redactText(text));
  }

  /**
   * The last published changes (the `history` option, default 100), newest first. Values are not
   * redacted (use `redact`), except that a value a resolver produced is never shown, as in `explain()`.
   */
  history(): HistoryEntry[] {
    return this.loader.historyEntries();
  }

  /** Whether the value at `path` is secret (key name, schema mark, `secrets` option, resolver, secret variable). */
  isSecret(path: PathArg<T>): boolean {
    return this.redaction.isSecret(toPath(path as PathInput));
  }

  /** A copy of `value` (found at `path`, default the root) with every secret leaf shown as `[redacted]`. */
  redact(value: unknown, path: PathArg<T> = [] as unknown as PathArg<T>): unknown {
    return this.redaction.redact(value, toPath(path as PathInput));
  }

  /** `text` with every secret value of the current config and every URL password masked. */
  redactText(text: string): string {
    return this.redaction.redactText(text);
  }

  /** Stops all watchers and timers and releases every handle. Idempotent. */
  close(): Promise<void> {
    return this.loader.close();
  }

  /** `await using config = await loadConfig(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Loads the merged, validated configuration from its sources and (by default) keeps it live.
 * Rejects with a {@link ConfigError} naming the source when a required source fails, with
 * `VALIDATION` when the merged tree does not satisfy the schema, or with an `AbortError` when
 * `signal` aborts. When it rejects, it has already closed the sources it was given, so no client
 * keeps the process alive; create new ones to retry.
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
  let redaction: RedactionService;
  try {
    redaction = new RedactionService({
      schema: options.schema,
      secrets: options.secrets,
      history: options.history,
    });
  } catch (error) {
    await Promise.allSettled((options.sources ?? []).map((source) => source.close?.()));
    throw error;
  }
  let boot: Bootstrapped;
  try {
    boot = await bootstrap(options);
  } catch (error) {
    // No snapshot yet: judged against the rejected candidate (validation) or the rules alone.
    throw redaction.redactError(error);
  }
  return createConfig(boot, redaction, options) as Config<Record<string, unknown>>;
}
