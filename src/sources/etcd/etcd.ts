/**
 * The etcd v3 source: keys below a prefix (one key per leaf) or one key holding a JSON/YAML/TOML
 * document, kept current with etcd watch streams. Reached through the `livecfg/etcd` subpath; `etcd3`
 * (gRPC) is an optional peer dependency, loaded on the first read.
 */
import type { Etcd3, WatchBuilder } from 'etcd3';
import type { Parser } from '../../reader/contract.js';
import { ConfigError } from '../../reader/errors.js';
import { checkFormat, type Environ, type Format, formatFromPath } from '../../reader/formats/index.js';
import { type Observable, throwError } from '../../rx/index.js';
import { DEFAULT_BACKOFF } from '../../source-kit/backoff.js';
import { describeKvOrigin } from '../../source-kit/origins.js';
import type { ChangeSet, Source } from '../../source-kit/source.js';
import { SourceBase } from '../../source-kit/source-base.js';
import { parseKeyTarget } from '../../source-kit/target.js';
import { createEtcdClient, type Etcd3Module, type EtcdTls, etcdError, loadEtcd3 } from './client.js';
import { type EtcdLayout, EtcdView, type RangeRead } from './view.js';
import { type Baseline, type WatchHost, watchKeys } from './watch.js';

/** etcd password authentication. */
export interface EtcdAuth {
  username: string;
  password: string;
}

/** Options shared by both modes of {@link etcd}. */
export interface EtcdCommonOptions {
  /** Client URLs (default `ETCDCTL_ENDPOINTS`, comma-separated, else `http://127.0.0.1:2379`). */
  hosts?: string | string[];
  /** Password authentication; a rejected login is a `PERMISSION` ConfigError. */
  auth?: EtcdAuth;
  /**
   * TLS for `https://` endpoints: `ca` (PEM of the CA that signed etcd's certificate), and `cert` +
   * `key` (PEM) when etcd runs with `--client-cert-auth`.
   */
  tls?: EtcdTls;
  /** Deadline in ms of each read request, connecting included (default 5000). */
  dialTimeout?: number;
  /** Reconnect delays while etcd is unreachable (default: the kit's DEFAULT_BACKOFF, 200 ms doubling to 10 s, jittered). */
  backoff?: { initialMs?: number; maxMs?: number };
}

/** `prefix` mode: every key below the prefix is a leaf (`/config/app/server/port` → `server.port`). */
export interface EtcdPrefixOptions extends EtcdCommonOptions {
  /** Key prefix; a `/` is appended when missing, so `/config/app` does not match `/config/application`. */
  prefix: string;
  key?: undefined;
}

/** `key` mode: one key holds a whole document. */
export interface EtcdKeyOptions extends EtcdCommonOptions {
  key: string;
  prefix?: undefined;
  /** Document format (default from the key's extension, else JSON). */
  format?: Format;
  /** A parser of your own for the document (wins over `format`). */
  parser?: Parser;
  /** A missing key is an empty layer instead of a `NOT_FOUND` error. */
  optional?: boolean;
  /**
   * Replace `${NAME}` references in string values with environment variables (default false: whoever
   * can write the key must not be able to read the service's environment).
   */
  interpolate?: boolean;
  /** Environment for interpolation (default `process.env`). */
  environ?: Environ;
}

/** Options of {@link etcd}: exactly one of `prefix` or `key`. */
export type EtcdOptions = EtcdPrefixOptions | EtcdKeyOptions;

/**
 * Config from etcd v3, watched live. Values in prefix mode are JSON-parsed when they parse, else
 * strings; a missing or empty prefix is an empty layer. Origins are `{ etcdKey, modRevision }`.
 * Watch changes carry deltas (`ChangeSet.delta`).
 *
 * @example
 * import { etcd } from 'livecfg/etcd';
 * const source = etcd({ prefix: '/config/app/', hosts: 'http://127.0.0.1:2379' });
 */
export function etcd(options: EtcdOptions): EtcdSource {
  return new EtcdSource(options);
}

function defaultHosts(): string[] {
  const fromEnv = process.env.ETCDCTL_ENDPOINTS?.split(',').map((host) => host.trim());
  const hosts = fromEnv?.filter((host) => host !== '') ?? [];
  return hosts.length > 0 ? hosts : ['http://127.0.0.1:2379'];
}

function toLayout(options: EtcdOptions, name: string): EtcdLayout {
  const target = parseKeyTarget(options, { kind: 'etcd', leadingSlash: 'keep' });
  if (target.mode === 'prefix') return target;
  const key = options as EtcdKeyOptions;
  const format = checkFormat(key.format ?? formatFromPath(target.key), name);
  return {
    mode: 'key',
    key: target.key,
    document: {
      format,
      ...(key.parser ? { parser: key.parser } : {}),
      optional: key.optional ?? false,
      interpolate: key.interpolate ?? false,
      ...(key.environ ? { environ: key.environ } : {}),
    },
  };
}

/** The {@link Source} returned by {@link etcd}. Also reports recovered failures through `onError`. */
export class EtcdSource extends SourceBase implements Source {
  private readonly layout: EtcdLayout;
  private readonly hosts: string[];
  private readonly options: EtcdOptions;
  private module: Etcd3Module | undefined;
  private client: Promise<Etcd3> | undefined;
  private latest: Baseline | undefined;
  private readonly stopping = new Set<Promise<void>>();
  private readonly watchHost: WatchHost;

  constructor(options: EtcdOptions) {
    super(`etcd:${options.prefix ?? options.key ?? ''}`, describeKvOrigin);
    this.options = options;
    try {
      this.layout = toLayout(options, this.name);
    } catch (error) {
      throw error instanceof ConfigError && error.code === 'INVALID_ARGUMENT'
        ? new ConfigError('INVALID_ARGUMENT', `${this.name}: ${error.message}`, { source: this.name })
        : error;
    }
    this.hosts = options.hosts === undefined ? defaultHosts() : [options.hosts].flat();
    if (this.hosts.length === 0) {
      throw new ConfigError('INVALID_ARGUMENT', `${this.name}: hosts must name at least one etcd endpoint`, {
        source: this.name,
      });
    }
    this.watchHost = this.createWatchHost();
  }

  /** Reads the keys now. Honours `signal`: an abort rejects at once. */
  async read(signal?: AbortSignal): Promise<ChangeSet> {
    this.ensureOpen();
    const read = await abortable(this.readKeys(false), signal, this.name);
    const view = new EtcdView(this.layout, this.name);
    const changeSet = (await view.load(read)) as ChangeSet;
    if (this.latest === undefined || read.revision >= this.latest.read.revision) {
      this.latest = { read, checksum: changeSet.checksum, view };
    }
    return changeSet;
  }

  /**
   * Cold observable of changes from an etcd watch stream, starting right after the last read's
   * revision. Survives server restarts (reported through `onError`) and compaction (a fresh read).
   */
  watch(): Observable<ChangeSet> {
    if (this.closed) return throwError(() => this.closedError());
    return watchKeys(this.watchHost, {
      add: (end) => this.trackWatch(end) ?? (() => undefined),
      track: (stopping) => {
        this.stopping.add(stopping);
        void stopping.finally(() => this.stopping.delete(stopping));
      },
    });
  }

  /** Waits for the ended watch streams' cancels (etcd confirms them), then closes the client. */
  protected async release(): Promise<void> {
    await Promise.all([...this.stopping]);
    const client = this.client;
    this.client = undefined;
    if (client) (await client.catch(() => undefined))?.close();
  }

  /** The etcd3 client, created on first use (etcd3 is loaded then). */
  private connect(): Promise<Etcd3> {
    this.client ??= loadEtcd3(this.name).then((module) => {
      this.module = module;
      const { auth, tls, dialTimeout } = this.options;
      return createEtcdClient(module, {
        hosts: this.hosts,
        dialTimeout: dialTimeout ?? 5000,
        ...(auth ? { auth } : {}),
        ...(tls ? { tls } : {}),
      });
    });
    this.client.catch(() => {
      this.client = undefined;
    });
    return this.client;
  }

  /**
   * Reads the watched keys. A foreground read (startup, `sync()`) keeps the process alive while it
   * runs, as any pending request would (an open watch unrefs the shared gRPC session, see
   * etcd-unref.ts); a background resync of the watch does not. The request's own deadline ends it.
   */
  private async readKeys(background: boolean): Promise<RangeRead> {
    this.ensureOpen();
    const keepAlive = background ? undefined : setInterval(() => undefined, 60_000);
    try {
      const client = await this.connect();
      this.ensureOpen();
      const response =
        this.layout.mode === 'prefix'
          ? await client.getAll().prefix(this.layout.prefix).exec()
          : await client.get(this.layout.key).exec();
      return { keys: response.kvs, revision: BigInt(response.header.revision) };
    } catch (error) {
      throw etcdError(this.module, error, this.name, this.hosts, 'read keys');
    } finally {
      clearInterval(keepAlive);
    }
  }

  private createWatchHost(): WatchHost {
    return {
      name: this.name,
      watchBuilder: async (): Promise<WatchBuilder> => {
        const builder = (await this.connect()).watch();
        return this.layout.mode === 'prefix'
          ? builder.prefix(this.layout.prefix)
          : builder.key(this.layout.key);
      },
      read: () => this.readKeys(true),
      createView: () => new EtcdView(this.layout, this.name),
      baseline: () => this.latest,
      report: (error) => this.report(error),
      toError: (error, action) => etcdError(this.module, error, this.name, this.hosts, action),
      backoff: {
        initialMs: this.options.backoff?.initialMs ?? DEFAULT_BACKOFF.initialMs,
        maxMs: this.options.backoff?.maxMs ?? DEFAULT_BACKOFF.maxMs,
      },
    };
  }
}

/** Races `promise` against `signal`: an abort rejects with a `TIMEOUT` or `SOURCE_READ` ConfigError. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, source: string): Promise<T> {
  if (signal === undefined) return promise;
  const aborted = () => {
    const reason: unknown = signal.reason;
    if (reason instanceof ConfigError) return reason;
    const timeout = reason instanceof Error && reason.name === 'TimeoutError';
    return new ConfigError(timeout ? 'TIMEOUT' : 'SOURCE_READ', `${source}: read aborted`, {
      source,
      cause: reason,
    });
  };
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
