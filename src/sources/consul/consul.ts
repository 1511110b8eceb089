/**
 * The Consul KV source: every key under a prefix as a tree, or one key holding a document; watched
 * with blocking queries.
 */

import type { Parser } from '../../reader/contract.js';
import { parseDuration } from '../../reader/duration.js';
import { ConfigError } from '../../reader/errors.js';
import { checkFormat, type Environ, formatFromPath } from '../../reader/formats/index.js';
import type { Observable } from '../../rx/index.js';
import { DEFAULT_BACKOFF } from '../../source-kit/backoff.js';
import { DEFAULT_MAX_BODY_BYTES, HttpClient } from '../../source-kit/http-client.js';
import { describeKvOrigin } from '../../source-kit/origins.js';
import type { ChangeSet, Source } from '../../source-kit/source.js';
import { SourceBase } from '../../source-kit/source-base.js';
import { parseKeyTarget } from '../../source-kit/target.js';
import { type ConsulTlsOptions, resolveConsulAddress, resolveConsulTls } from './address.js';
import { KvClient, type KvQuery, type KvResult } from './client.js';
import { ConsulDecoder, type ConsulTarget } from './decode.js';
import { kvError } from './errors.js';
import { type WatchHost, type WatchTiming, watchBlocking } from './watch.js';

/** Options of {@link consul}. Give exactly one of `prefix` and `key`. */
export interface ConsulOptions {
  /** Read every key under this prefix: `config/app/server/port` → `server.port`. */
  prefix?: string;
  /** Read one key holding a JSON, YAML or TOML document. */
  key?: string;
  /** Key mode: the document's format (default from the key's extension, else JSON). */
  format?: string;
  /** Key mode: a parser of your own for the document (wins over `format`). */
  parser?: Parser;
  /** Key mode: a missing key is an empty layer instead of a `NOT_FOUND` error. */
  optional?: boolean;
  /** Consul agent host (default from `CONSUL_HTTP_ADDR`, else 127.0.0.1). */
  host?: string;
  /** Consul HTTP port (default from `CONSUL_HTTP_ADDR`, else 8500). */
  port?: number;
  /** Use https (default from `CONSUL_HTTP_ADDR` / `CONSUL_HTTP_SSL`; true when `ca`, `cert` or `key` is given). */
  secure?: boolean;
  /**
   * TLS material as PEM text or Buffers (`key` of the KV store is the other option, hence the object):
   * `ca` (default: the file named by `CONSUL_CACERT`), `cert` and `key` for client-certificate auth
   * (default: the files named by `CONSUL_CLIENT_CERT`, `CONSUL_CLIENT_KEY`). Giving it implies `secure`.
   */
  tls?: ConsulTlsOptions;
  /** Largest KV answer accepted, in bytes (default 32 MiB); past it the read fails and the last good data stays. */
  maxBodyBytes?: number;
  /** ACL token (default `CONSUL_HTTP_TOKEN`). Needs `key:read` on the prefix or key. */
  token?: string;
  /** Datacenter (default: the agent's). */
  dc?: string;
  /** How long Consul may hold a blocking query: Go duration ("5m", "30s") or ms (default 5 min). */
  wait?: string | number;
  /** Timeout of non-blocking reads, in ms (default 10,000). */
  timeout?: number;
  /** Retry delays of the watch after failures, in ms (default: the kit's DEFAULT_BACKOFF, 200 ms doubling to 10 s, with jitter). */
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * Key mode: replace `${NAME}` references in string values with environment variables (default
   * false: whoever can write the key must not be able to read the service's environment).
   */
  interpolate?: boolean;
  /** The environment for `CONSUL_HTTP_*` defaults and interpolation (default `process.env`). */
  environ?: Environ;
}

/** The Consul source: a {@link Source} whose watch, error hook and close are always present. */
export interface ConsulSource extends Source {
  watch(): Observable<ChangeSet>;
  onError(listener: (error: ConfigError) => void): void;
  close(): Promise<void>;
}

const DEFAULT_WAIT_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;
/** Rate limit of blocking requests that woke up without a change (after a burst of 2). */
const SPURIOUS_WAKE_INTERVAL_MS = 250;

/**
 * A Consul KV source. Defaults come from `CONSUL_HTTP_ADDR` (`host:port` or `http(s)://host:port`)
 * and `CONSUL_HTTP_TOKEN`. A missing or empty prefix is an empty layer; folder keys are ignored;
 * values are JSON-parsed when they parse. Origins are `{ consulKey, modifyIndex }`.
 *
 * @example
 * consul({ prefix: 'config/helloworld/' });
 * consul({ key: 'config/helloworld.yaml', host: 'consul.internal', token: process.env.TOKEN });
 */
export function consul(options: ConsulOptions): ConsulSource {
  return new ConsulKvSource(options);
}

function parseTarget(options: ConsulOptions, environ: Environ): ConsulTarget {
  const target = parseKeyTarget(options, { kind: 'consul', leadingSlash: 'strip' });
  if (target.mode === 'prefix') return target;
  const label = `consul:${target.key}`;
  const format =
    options.format === undefined ? formatFromPath(target.key) : checkFormat(options.format, label);
  return {
    mode: 'key',
    key: target.key,
    format,
    ...(options.parser ? { parser: options.parser } : {}),
    optional: options.optional ?? false,
    interpolate: options.interpolate ?? false,
    environ,
  };
}

/** The ChangeSet with the `X-Consul-Index` it reflects as its revision. */
function withRevision(changeSet: ChangeSet, index: number): ChangeSet {
  return { ...changeSet, revision: String(index) };
}

function parseWait(wait: string | number | undefined): number {
  if (wait === undefined) return DEFAULT_WAIT_MS;
  const ms = typeof wait === 'number' ? wait : parseDuration(wait);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw new ConfigError(
      'INVALID_ARGUMENT',
      `consul(): wait ${JSON.stringify(wait)} is not a positive duration`,
    );
  }
  return ms;
}

class ConsulKvSource extends SourceBase implements ConsulSource {
  private readonly target: ConsulTarget;
  private readonly decoder: ConsulDecoder;
  private readonly http: HttpClient;
  private readonly client: KvClient;
  private readonly token: string | undefined;
  private readonly dc: string | undefined;
  private readonly waitMs: number;
  private readonly timeoutMs: number;
  private readonly timing: WatchTiming;
  private readonly reads = new Set<AbortController>();
  private lastChecksum: string | undefined;

  constructor(options: ConsulOptions) {
    const environ = options.environ ?? (() => process.env);
    const target = parseTarget(options, environ);
    super(`consul:${target.mode === 'prefix' ? target.prefix : target.key}`, describeKvOrigin);
    this.target = target;
    this.decoder = new ConsulDecoder(this.name, this.target);
    const tls = resolveConsulTls(options.tls ?? {}, environ);
    const explicitTls = options.tls !== undefined;
    const address = resolveConsulAddress(
      explicitTls && options.secure === undefined ? { ...options, secure: true } : options,
      environ,
    );
    this.http = new HttpClient(tls ? { tls } : {});
    this.client = new KvClient(address, this.http, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    this.token = address.token;
    this.dc = options.dc;
    this.waitMs = parseWait(options.wait);
    this.timeoutMs = options.timeout ?? DEFAULT_TIMEOUT_MS;
    this.timing = {
      backoff: {
        initialMs: options.backoff?.initialMs ?? DEFAULT_BACKOFF.initialMs,
        maxMs: options.backoff?.maxMs ?? DEFAULT_BACKOFF.maxMs,
      },
      spuriousWakeIntervalMs: SPURIOUS_WAKE_INTERVAL_MS,
    };
  }

  async read(signal?: AbortSignal): Promise<ChangeSet> {
    if (this.closed) throw this.closedError();
    const controller = new AbortController();
    this.reads.add(controller);
    try {
      const result = await this.request({
        timeoutMs: this.timeoutMs,
        signals: [signal, controller.signal],
        background: false,
      });
      const changeSet = withRevision(await this.decoder.decode(result.entries, false), result.index);
      this.lastChecksum = changeSet.checksum;
      return changeSet;
    } catch (error) {
      throw this.closed ? this.closedError(error) : error;
    } finally {
      this.reads.delete(controller);
    }
  }

  watch(): Observable<ChangeSet> {
    const host: WatchHost = {
      name: this.name,
      query: (index, signal) =>
        this.request({
          index,
          wait: `${Math.max(1, Math.round(this.waitMs))}ms`,
          timeoutMs: Math.ceil(this.waitMs + this.waitMs / 16) + this.timeoutMs,
          signals: [signal],
          background: true,
        }),
      decode: async (result) => withRevision(await this.decoder.decode(result.entries, true), result.index),
      baseline: () => this.lastChecksum,
      accept: (checksum) => {
        this.lastChecksum = checksum;
      },
      report: (error) => this.report(error),
    };
    return watchBlocking(host, this.timing, (loop) => this.trackWatch(() => loop.complete()));
  }

  /** Aborts reads in flight and closes every socket (the watch loops have ended). */
  protected release(): void {
    for (const controller of this.reads) controller.abort();
    this.http.destroy();
  }

  private async request(query: Omit<KvQuery, 'key' | 'recurse' | 'token' | 'dc'>): Promise<KvResult> {
    const { target } = this;
    try {
      return await this.client.get({
        key: target.mode === 'prefix' ? target.prefix : target.key,
        recurse: target.mode === 'prefix',
        ...(this.token === undefined ? {} : { token: this.token }),
        ...(this.dc === undefined ? {} : { dc: this.dc }),
        ...query,
      });
    } catch (error) {
      throw kvError(error, this.name, target);
    }
  }
}
