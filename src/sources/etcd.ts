/**
 * The etcd v3 source: keys below a prefix (one key per leaf) or one key holding a JSON/YAML/TOML
 * document, kept current with etcd watch streams. Reached through the `livecfg/etcd` subpath so
 * that `etcd3` (gRPC) stays an optional peer dependency.
 */
import type { Etcd3, WatchBuilder } from 'etcd3';
import { ConfigError } from '../reader/errors.js';
import { checkFormat, type Environ, type Format, formatFromPath } from '../reader/formats/index.js';
import { type Observable, throwError } from '../rx.js';
import { ErrorListeners } from '../source-kit/error-listeners.js';
import { createEtcdClient, etcdError } from './etcd-client.js';
import {
  changeSetFromSnapshot,
  type EtcdLayout,
  type KeySnapshot,
  snapshotChecksum,
  snapshotFromRange,
} from './etcd-state.js';
import { type Baseline, type WatchHost, watchKeys } from './etcd-watch.js';
import type { ChangeSet, Source } from './source.js';

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
  /** Deadline in ms of each read request, connecting included (default 5000). */
  dialTimeout?: number;
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
  /** A missing key is an empty layer instead of a `NOT_FOUND` error. */
  optional?: boolean;
  /** Replace `${NAME}` references in string values (default true). */
  interpolate?: boolean;
  /** Environment for interpolation (default `process.env`). */
  environ?: Environ;
}

/** Options of {@link etcd}: exactly one of `prefix` or `key`. */
export type EtcdOptions = EtcdPrefixOptions | EtcdKeyOptions;

/**
 * Config from etcd v3, watched live. Values in prefix mode are JSON-parsed when they parse, else
 * strings; a missing or empty prefix is an empty layer. Origins are `{ etcdKey, modRevision }`.
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

/** The {@link Source} returned by {@link etcd}. Also reports recovered failures through `onError`. */
export class EtcdSource implements Source {
  readonly name: string;
  private readonly layout: EtcdLayout;
  private readonly hosts: string[];
  private readonly client: Etcd3;
  private latest: Baseline | undefined;
  private closed = false;
  private readonly listeners = new ErrorListeners();
  private readonly active = new Set<() => void>();
  private readonly stopping = new Set<Promise<void>>();
  private readonly watchHost: WatchHost;

  constructor(options: EtcdOptions) {
    const { prefix, key } = options;
    const label = prefix ?? key;
    this.name = `etcd:${label ?? ''}`;
    if ((prefix === undefined) === (key === undefined)) {
      throw new ConfigError('INVALID_ARGUMENT', `${this.name}: etcd() needs exactly one of prefix or key`, {
        source: this.name,
      });
    }
    if (options.key !== undefined) {
      const format = options.format === undefined ? formatFromPath(options.key) : options.format;
      this.layout = {
        mode: 'key',
        key: options.key,
        format: checkFormat(format, this.name),
        optional: options.optional ?? false,
        interpolate: options.interpolate ?? true,
        ...(options.environ ? { environ: options.environ } : {}),
      };
    } else {
      const raw = options.prefix ?? '';
      this.layout = { mode: 'prefix', prefix: raw === '' || raw.endsWith('/') ? raw : `${raw}/` };
    }
    this.hosts = options.hosts === undefined ? defaultHosts() : [options.hosts].flat();
    if (this.hosts.length === 0) {
      throw new ConfigError('INVALID_ARGUMENT', `${this.name}: hosts must name at least one etcd endpoint`, {
        source: this.name,
      });
    }
    this.client = createEtcdClient({
      hosts: this.hosts,
      dialTimeout: options.dialTimeout ?? 5000,
      ...(options.auth ? { auth: options.auth } : {}),
    });
    this.watchHost = this.createWatchHost();
  }

  /** Reads the keys now. Honours `signal`: an abort rejects at once. */
  async read(signal?: AbortSignal): Promise<ChangeSet> {
    this.ensureOpen();
    const snapshot = await abortable(this.readSnapshot(), signal, this.name);
    const checksum = snapshotChecksum(snapshot);
    const changeSet = changeSetFromSnapshot(snapshot, this.layout, this.name, checksum);
    this.accept({ snapshot, checksum });
    return changeSet;
  }

  /**
   * Cold observable of changes from an etcd watch stream, starting right after the last read's
   * revision. Survives server restarts (reported through `onError`) and compaction (a fresh read).
   */
  watch(): Observable<ChangeSet> {
    if (this.closed) return throwError(() => this.closedError());
    return watchKeys(this.watchHost, {
      add: (end) => {
        this.active.add(end);
        return () => this.active.delete(end);
      },
      track: (stopping) => {
        this.stopping.add(stopping);
        void stopping.finally(() => this.stopping.delete(stopping));
      },
    });
  }

  /** Registers a listener for non-fatal errors the watch recovers from (server down, bad document). */
  onError(listener: (error: ConfigError) => void): void {
    this.listeners.add(listener);
  }

  /** Ends every watch stream and the client. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const end of [...this.active]) end();
    await Promise.all([...this.stopping]);
    this.client.close();
    this.listeners.clear();
  }

  private closedError(): ConfigError {
    return new ConfigError('CLOSED', `${this.name}: the source is closed`, { source: this.name });
  }

  private ensureOpen(): void {
    if (this.closed) throw this.closedError();
  }

  private async readSnapshot(): Promise<KeySnapshot> {
    this.ensureOpen();
    const request =
      this.layout.mode === 'prefix'
        ? this.client.getAll().prefix(this.layout.prefix)
        : this.client.get(this.layout.key);
    // An open watch unrefs the shared gRPC session (see etcd-unref.ts); this timer keeps the process
    // alive while a read is in flight, as any pending request would. The request's own deadline ends it.
    const keepAlive = setInterval(() => undefined, 60_000);
    try {
      return snapshotFromRange(await request.exec());
    } catch (error) {
      throw etcdError(error, this.name, this.hosts, 'read keys');
    } finally {
      clearInterval(keepAlive);
    }
  }

  private accept(baseline: Baseline): void {
    if (this.latest === undefined || baseline.snapshot.revision >= this.latest.snapshot.revision) {
      this.latest = baseline;
    }
  }

  private report(error: ConfigError): void {
    if (this.closed) return;
    this.listeners.report(error);
  }

  private createWatchHost(): WatchHost {
    return {
      name: this.name,
      watchBuilder: (): WatchBuilder => {
        const builder = this.client.watch();
        return this.layout.mode === 'prefix'
          ? builder.prefix(this.layout.prefix)
          : builder.key(this.layout.key);
      },
      readSnapshot: () => this.readSnapshot(),
      toChangeSet: (snapshot, checksum) => changeSetFromSnapshot(snapshot, this.layout, this.name, checksum),
      baseline: () => this.latest,
      accept: (baseline) => this.accept(baseline),
      report: (error) => this.report(error),
      toError: (error, action) => etcdError(error, this.name, this.hosts, action),
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
