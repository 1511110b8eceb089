/**
 * The etcd v3 source: keys below a prefix (one key per leaf) or one key holding a JSON/YAML/TOML
 * document, kept current with etcd watch streams. Reached through the `livecfg/etcd` subpath; it
 * speaks etcd's v3 JSON gateway over the source kit's HTTP client (no gRPC, no client package).
 */
import type { Parser } from '../../reader/contract.js';
import { ConfigError } from '../../reader/errors.js';
import { checkFormat, type Environ, type Format, formatFromPath } from '../../reader/formats/index.js';
import { type Observable, throwError } from '../../rx/index.js';
import { DEFAULT_BACKOFF } from '../../source-kit/backoff.js';
import { describeKvOrigin } from '../../source-kit/origins.js';
import type { ChangeSet, Source } from '../../source-kit/source.js';
import { SourceBase } from '../../source-kit/source-base.js';
import { parseKeyTarget } from '../../source-kit/target.js';
import {
  createGateway,
  type EtcdAuth,
  type EtcdConnection,
  type EtcdTls,
  etcdError,
  resolveConnection,
} from './client.js';
import type { EtcdGateway } from './gateway.js';
import { type EtcdLayout, EtcdView, type PageReader } from './view.js';
import { type Baseline, type WatchHost, watchKeys } from './watch.js';

export type { EtcdAuth, EtcdTls } from './client.js';

/** Options shared by both modes of {@link etcd}. */
export interface EtcdCommonOptions {
  /** Client URLs (default `ETCDCTL_ENDPOINTS`, comma-separated, else `http://127.0.0.1:2379`). */
  hosts?: string | string[];
  /**
   * Password authentication; a rejected login is a `PERMISSION` ConfigError. Default from
   * `ETCDCTL_USER` (`user:password`, or the user with `ETCDCTL_PASSWORD`).
   */
  auth?: EtcdAuth;
  /**
   * TLS for `https://` endpoints: `ca` (PEM of the CA that signed etcd's certificate), and `cert` +
   * `key` (PEM) when etcd runs with `--client-cert-auth`. Default from the files named by
   * `ETCDCTL_CACERT`, `ETCDCTL_CERT` and `ETCDCTL_KEY`.
   */
  tls?: EtcdTls;
  /** Deadline in ms of each request, connecting included (default 5000; a watch's until it opens). */
  dialTimeout?: number;
  /** Keys per range request when reading a prefix (default 20,000): no response grows with the prefix. */
  pageSize?: number;
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
  private readonly connection: EtcdConnection;
  private readonly options: EtcdOptions;
  private client: Promise<EtcdGateway> | undefined;
  private latest: (Baseline & { revision: bigint }) | undefined;
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
    this.connection = resolveConnection(options);
    if (this.connection.hosts.length === 0) {
      throw new ConfigError('INVALID_ARGUMENT', `${this.name}: hosts must name at least one etcd endpoint`, {
        source: this.name,
      });
    }
    this.watchHost = this.createWatchHost();
  }

  /** Reads the keys now, page by page. Honours `signal`: an abort rejects at once. */
  async read(signal?: AbortSignal): Promise<ChangeSet> {
    this.ensureOpen();
    const view = new EtcdView(this.layout, this.name);
    const loaded = await abortable(view.load(this.pages(false, signal)), signal, this.name);
    if (loaded.problem) throw loaded.problem;
    const change = loaded.change as ChangeSet;
    if (this.latest === undefined || view.revision >= this.latest.revision) {
      this.latest = { view, checksum: change.checksum as string, revision: view.revision };
    }
    return change;
  }

  /**
   * Cold observable of changes from an etcd watch stream, starting right after the last read's
   * revision. Survives server restarts and partitions (reported through `onError`) and compaction
   * (a fresh read).
   */
  watch(): Observable<ChangeSet> {
    if (this.closed) return throwError(() => this.closedError());
    return watchKeys(this.watchHost, (end) => this.trackWatch(end) ?? (() => undefined));
  }

  /** Ends every request and stream at once. */
  protected async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.latest = undefined;
    if (client) (await client.catch(() => undefined))?.close();
  }

  /** The gateway client, created on first use. */
  private gateway(): Promise<EtcdGateway> {
    this.client ??= createGateway(this.connection, this.options.dialTimeout ?? 5000);
    this.client.catch(() => {
      this.client = undefined;
    });
    return this.client;
  }

  /**
   * Reads the watched keys page by page. A foreground read (startup, `sync()`) keeps the process
   * alive while it runs, as any pending request would; a background resync of the watch does not.
   */
  private pages(background: boolean, signal?: AbortSignal): PageReader {
    return async (onPage) => {
      this.ensureOpen();
      try {
        const client = await this.gateway();
        this.ensureOpen();
        const call = { background, ...(signal ? { signal } : {}) };
        if (this.layout.mode === 'key') {
          const page = await client.range(this.layout.key, call);
          onPage(page.kvs);
          return BigInt(page.revision);
        }
        const { revision } = await client.rangeAll(this.layout.prefix, {
          ...call,
          prefix: true,
          ...(this.options.pageSize ? { pageSize: this.options.pageSize } : {}),
          onPage: (page) => onPage(page.kvs),
        });
        return BigInt(revision);
      } catch (error) {
        throw etcdError(error, this.name, this.connection.hosts, 'read keys');
      }
    };
  }

  private createWatchHost(): WatchHost {
    const layout = this.layout;
    return {
      name: this.name,
      gateway: () => this.gateway(),
      range:
        layout.mode === 'prefix' ? { key: layout.prefix, prefix: true } : { key: layout.key, prefix: false },
      pages: this.pages(true),
      createView: () => new EtcdView(this.layout, this.name),
      takeBaseline: () => {
        const latest = this.latest;
        if (latest === undefined) return undefined;
        // The first session takes the read's view over (no copy); later ones read afresh.
        const taken = { view: latest.view, checksum: latest.checksum };
        latest.view = undefined;
        return taken;
      },
      report: (error) => this.report(error),
      toError: (error, action) => etcdError(error, this.name, this.connection.hosts, action),
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
