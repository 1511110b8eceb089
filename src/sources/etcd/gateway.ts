/**
 * (Over the ~300-line house limit: one call per gateway method with its doc comment; the watch
 * stream is the part to move out next.)
 * A small typed client for etcd's v3 JSON gateway (etcd ≥ 3.4, `POST /v3/<service>/<method>`), over
 * the source kit's {@link HttpClient}: no gRPC, no client package. The etcd source reads pages and
 * watches with it; the fleet takes leases and compare-and-swap transactions with it.
 *
 * Conventions
 * - Keys and values are strings (UTF-8); the gateway's base64 stays in here. Revisions, lease ids and
 *   counts that etcd sends as int64 are decimal strings (`'42'`); inputs accept string, number or bigint.
 * - Every call rejects with an {@link EtcdGatewayError}; its `reason` says what went wrong
 *   (`unreachable`, `timeout`, `tls`, `permission`, `compacted`, `not-found`, `too-large`, `status`,
 *   `aborted`, `closed`).
 * - `hosts` are tried in order: a call that cannot connect moves on to the next endpoint at once.
 * - With `auth`, a token from `/v3/auth/authenticate` goes in `Authorization`; it is fetched on the
 *   first call and renewed once when etcd calls it invalid.
 * - `background: true` calls and every watch use unref'd sockets (they never keep the process alive);
 *   `close()` ends every request and stream at once.
 *
 * API
 * - `range(key, { prefix | rangeEnd, limit, revision, keysOnly, countOnly })` → one {@link RangePage}
 * - `rangeAll(key, { prefix | rangeEnd, pageSize, onPage })` → all keys at one revision, page by page
 *   (`limit` + continue after the last key), never one unbounded response
 * - `put(key, value, { lease, prevKv })` → `{ revision, prevKv? }`
 * - `deleteRange(key, { prefix | rangeEnd })` → `{ revision, deleted }`
 * - `txn({ compare, success, failure })` → `{ succeeded, revision, responses }` (compare on MOD, CREATE,
 *   VERSION or VALUE; ops put / deleteRange / range)
 * - `leaseGrant(ttlSeconds)`, `leaseKeepAlive(id)`, `leaseRevoke(id)`; `authenticate()`; `compact(revision)`
 * - `watch({ key, prefix | rangeEnd, startRevision }, { onEvents, onCreated })` → {@link EtcdWatch}
 *
 * @example
 * const etcd = new EtcdGateway({ hosts: ['http://127.0.0.1:2379'] });
 * const lease = await etcd.leaseGrant(10);
 * const { succeeded } = await etcd.txn({
 *   compare: [{ key: 'livecfg/fleet/a', target: 'MOD', modRevision: 0 }],          // key absent
 *   success: [{ put: { key: 'livecfg/fleet/a', value: '{}', lease: lease.id } }],
 * });
 * etcd.close();
 */
import { setMaxListeners } from 'node:events';
import { HttpClient, type HttpResponse, type TlsOptions } from '../../source-kit/http-client.js';
import { type HttpFailure, HttpRequestError, isTlsFailure } from '../../source-kit/http-failure.js';
import { encodeKey, type Int64, nextKey, type RawKeyValue, toKeyValue } from './gateway-codec.js';
import {
  EtcdGatewayError,
  type EtcdGatewayErrorReason,
  errorFromBody,
  errorFromFailure,
} from './gateway-errors.js';
import {
  type Compare,
  compareBody,
  type KeyRange,
  opBody,
  parseRange,
  peekRange,
  putBody,
  type RangePage,
  rangeEndOf,
  type TxnOp,
  type TxnResult,
} from './gateway-requests.js';
import { openWatch, type WatchContext, type WatchHandlers, type WatchRequest } from './gateway-watch.js';

export type { Int64, KeyValue } from './gateway-codec.js';
export { EtcdGatewayError, type EtcdGatewayErrorReason } from './gateway-errors.js';
export type { Compare, KeyRange, RangePage, TxnOp, TxnResult } from './gateway-requests.js';
export type { EtcdWatch, WatchEnd, WatchEvent, WatchHandlers, WatchRequest } from './gateway-watch.js';

/** Connection settings of an {@link EtcdGateway}. */
export interface EtcdGatewayOptions {
  /** Client URLs, e.g. `['http://127.0.0.1:2379']`; tried in order. */
  hosts: readonly string[];
  /** TLS for `https://` endpoints: `ca`, and `cert` + `key` for `--client-cert-auth`. */
  tls?: TlsOptions;
  /** Password authentication (a token per client, renewed when etcd rejects it). */
  auth?: { username: string; password: string };
  /** Deadline in ms of each call, connecting included (default 5000; a watch's only until it opens). */
  timeoutMs?: number;
  /** Largest response accepted (default the kit's 32 MiB); a larger range page is re-read smaller. */
  maxBodyBytes?: number;
}

/** Per-call options. */
export interface CallOptions {
  /** The call must not keep the process alive (a background read). Default false. */
  background?: boolean;
  signal?: AbortSignal;
  /** Deadline of this call in ms (default the client's `timeoutMs`). */
  timeoutMs?: number;
}

/**
 * Keys per page of {@link EtcdGateway.rangeAll}. etcd 3.4 collects every revision from a page's first
 * key to the range end before it applies the limit, so small pages cost O(n²) over a large prefix.
 */
const DEFAULT_PAGE = 20_000;
/** Deadline of one page of rangeAll at least (a page of a large prefix is a big answer). */
const PAGE_TIMEOUT_MS = 30_000;

/** The client; see the module comment for its conventions and API. */
export class EtcdGateway {
  private readonly http: HttpClient;
  private readonly hosts: string[];
  private readonly timeoutMs: number;
  private current = 0;
  private token: Promise<string> | undefined;
  private readonly closing = new AbortController();
  private readonly watches = new Set<{ close(): void }>();

  constructor(private readonly options: EtcdGatewayOptions) {
    this.hosts = options.hosts.map((host) => host.replace(/\/+$/, ''));
    if (this.hosts.length === 0) throw new TypeError('EtcdGateway: hosts must name at least one endpoint');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.http = new HttpClient(options.tls ? { tls: options.tls } : {});
    // Every request in flight listens on this one signal (and removes its listener when it ends):
    // a burst of concurrent requests is not a listener leak.
    setMaxListeners(0, this.closing.signal);
  }

  /** The endpoint calls go to now. */
  get endpoint(): string {
    return this.hosts[this.current] as string;
  }

  /** Reads one page of a range (`limit` keys at most; `more` says whether keys remain). */
  async range(
    key: string,
    options: KeyRange & {
      limit?: number;
      revision?: Int64;
      keysOnly?: boolean;
      countOnly?: boolean;
    } & CallOptions = {},
  ): Promise<RangePage> {
    return this.rangeRaw(encodeKey(key), rangeEndOf(key, options), options);
  }

  /**
   * Reads every key of a range at one revision, page by page (`pageSize` keys, default 10,000),
   * handing each page to `onPage` (which may keep what it needs; pages are not retained here).
   * Resolves with the revision and the number of keys. A page too large for `maxBodyBytes` is re-read
   * with half the limit.
   */
  async rangeAll(
    key: string,
    options: KeyRange & { pageSize?: number; onPage: (page: RangePage) => void } & CallOptions,
  ): Promise<{ revision: string; count: number }> {
    const end = rangeEndOf(key, options);
    let from = encodeKey(key);
    let limit = options.pageSize ?? DEFAULT_PAGE;
    let revision: string | undefined;
    let count = 0;
    const fetch = () => {
      const timeoutMs = options.timeoutMs ?? Math.max(this.timeoutMs, PAGE_TIMEOUT_MS);
      const body = this.rangeBody(from, end, {
        ...options,
        timeoutMs,
        limit,
        ...(revision ? { revision } : {}),
      });
      body.catch(() => undefined);
      return body;
    };
    let pending: Promise<Buffer> | undefined = fetch();
    while (pending !== undefined) {
      let body: Buffer;
      try {
        body = await pending;
      } catch (error) {
        if (error instanceof EtcdGatewayError && error.reason === 'too-large' && limit > 1) {
          limit = Math.ceil(limit / 2);
          pending = fetch();
          continue;
        }
        throw error;
      }
      // The next page is asked for before this one is parsed: etcd encodes it while we decode this one.
      const peek = peekRange(body);
      revision ??= peek?.revision;
      pending = undefined;
      if (peek?.more && peek.lastKey !== undefined) {
        from = nextKey(peek.lastKey);
        pending = fetch();
      }
      const page = parseRange(body);
      revision ??= page.revision;
      count += page.kvs.length;
      const last = page.lastKey;
      delete page.lastKey;
      options.onPage(page);
      if (peek === undefined && page.more && last !== undefined) {
        from = nextKey(last);
        pending = fetch();
      }
    }
    return { revision: revision ?? '0', count };
  }

  /** Writes a key (optionally attached to a lease); `prevKv` returns the value it replaced. */
  async put(
    key: string,
    value: string,
    options: { lease?: Int64; prevKv?: boolean } & CallOptions = {},
  ): Promise<{ revision: string; prevKv?: RangePage['kvs'][number] }> {
    const body = await this.call<{ header?: { revision?: string }; prev_kv?: RawKeyValue }>(
      'kv/put',
      {
        ...putBody({ key, value, ...(options.lease === undefined ? {} : { lease: options.lease }) }),
        ...(options.prevKv ? { prev_kv: true } : {}),
      },
      options,
    );
    return {
      revision: body.header?.revision ?? '0',
      ...(body.prev_kv ? { prevKv: toKeyValue(body.prev_kv) } : {}),
    };
  }

  /** Deletes one key or a range; resolves with how many were deleted. */
  async deleteRange(
    key: string,
    options: KeyRange & CallOptions = {},
  ): Promise<{ revision: string; deleted: number }> {
    const end = rangeEndOf(key, options);
    const body = await this.call<{ header?: { revision?: string }; deleted?: string }>(
      'kv/deleterange',
      { key: encodeKey(key), ...(end === undefined ? {} : { range_end: end }) },
      options,
    );
    return { revision: body.header?.revision ?? '0', deleted: Number(body.deleted ?? 0) };
  }

  /** Runs a transaction: `success` when every comparison holds, else `failure`. */
  async txn(
    request: { compare: readonly Compare[]; success: readonly TxnOp[]; failure?: readonly TxnOp[] },
    options: CallOptions = {},
  ): Promise<TxnResult> {
    const body = await this.call<{
      header?: { revision?: string };
      succeeded?: boolean;
      responses?: Array<
        Record<string, { header?: { revision?: string }; deleted?: string; kvs?: RawKeyValue[] }>
      >;
    }>(
      'kv/txn',
      {
        compare: request.compare.map(compareBody),
        success: request.success.map(opBody),
        failure: (request.failure ?? []).map(opBody),
      },
      options,
    );
    const responses = (body.responses ?? []).map((entry) => {
      const answer = entry.response_put ?? entry.response_delete_range ?? entry.response_range ?? {};
      return {
        ...(answer.header?.revision ? { revision: answer.header.revision } : {}),
        ...(answer.deleted === undefined ? {} : { deleted: Number(answer.deleted) }),
        ...(answer.kvs ? { kvs: answer.kvs.map(toKeyValue) } : {}),
      };
    });
    return { succeeded: body.succeeded === true, revision: body.header?.revision ?? '0', responses };
  }

  /** Grants a lease of `ttlSeconds`; resolves with its id and the TTL etcd granted. */
  async leaseGrant(ttlSeconds: number, options: CallOptions = {}): Promise<{ id: string; ttl: number }> {
    const body = await this.call<{ ID?: string; TTL?: string; error?: string }>(
      'lease/grant',
      { TTL: String(ttlSeconds) },
      options,
    );
    if (body.ID === undefined)
      throw this.error('status', `lease grant failed: ${body.error ?? 'no lease id'}`);
    return { id: body.ID, ttl: Number(body.TTL ?? ttlSeconds) };
  }

  /** Renews a lease once; rejects with reason `not-found` when it expired or was revoked. */
  async leaseKeepAlive(id: Int64, options: CallOptions = {}): Promise<{ id: string; ttl: number }> {
    const body = await this.call<{ result?: { ID?: string; TTL?: string } }>(
      'lease/keepalive',
      { ID: String(id) },
      options,
    );
    const ttl = Number(body.result?.TTL ?? 0);
    if (!(ttl > 0)) throw this.error('not-found', `lease ${id} not found (expired or revoked)`);
    return { id: String(id), ttl };
  }

  /** Revokes a lease (its keys are deleted); rejects with reason `not-found` when it is gone already. */
  async leaseRevoke(id: Int64, options: CallOptions = {}): Promise<void> {
    await this.call('lease/revoke', { ID: String(id) }, options);
  }

  /** Compacts the store's history up to `revision` (tests and tools; sources never compact). */
  async compact(revision: Int64, options: { physical?: boolean } & CallOptions = {}): Promise<void> {
    await this.call(
      'kv/compaction',
      { revision: String(revision), physical: options.physical ?? true },
      options,
    );
  }

  /** Exchanges the configured user and password for a token (cached for later calls). */
  authenticate(options: CallOptions = {}): Promise<string> {
    const auth = this.options.auth;
    if (auth === undefined)
      return Promise.reject(this.error('permission', 'no auth (username/password) configured'));
    const pending = this.send(
      'auth/authenticate',
      { name: auth.username, password: auth.password },
      options,
      undefined,
    ).then((raw) => {
      const body = JSON.parse(raw.toString('utf8')) as { token?: string };
      if (!body.token) throw this.error('permission', 'etcd returned no token (is auth enabled?)');
      return body.token;
    });
    this.token = pending;
    pending.catch(() => {
      if (this.token === pending) this.token = undefined;
    });
    return pending;
  }

  /**
   * Opens a watch stream (`POST /v3/watch`, newline-delimited JSON) from `startRevision`. Events go to
   * `handlers.onEvents` in order; `ended` resolves once the stream is over (closed, compacted,
   * cancelled by etcd, or failed). A liveness probe (a one-key read every `probeMs`, default 10 s)
   * ends a stream whose connection went silent. The socket never keeps the process alive.
   */
  watch(request: WatchRequest, handlers: WatchHandlers): import('./gateway-watch.js').EtcdWatch {
    const watch = openWatch(this.watchContext(), request, handlers);
    this.watches.add(watch);
    void watch.ended.then(() => this.watches.delete(watch));
    return watch;
  }

  /** Ends every request and watch at once; later calls reject with reason `closed`. */
  close(): void {
    this.closing.abort();
    for (const watch of [...this.watches]) watch.close();
    this.http.destroy();
  }

  private watchContext(): WatchContext {
    return {
      http: this.http,
      endpoint: () => this.endpoint,
      token: () => this.authHeader(),
      invalidateToken: () => {
        this.token = undefined;
      },
      probe: (key) => this.range(key, { limit: 1, keysOnly: true, background: true }).then(() => undefined),
      timeoutMs: this.timeoutMs,
      closing: this.closing.signal,
      maxLineBytes: this.options.maxBodyBytes ?? 32 * 1024 * 1024,
      error: (failure, url) => errorFromFailure(failure, url, this.closing.signal.aborted),
    };
  }

  private async rangeRaw(
    key: string,
    rangeEnd: string | undefined,
    options: { limit?: number; revision?: Int64; keysOnly?: boolean; countOnly?: boolean } & CallOptions,
  ): Promise<RangePage & { lastKey?: string }> {
    return parseRange(await this.rangeBody(key, rangeEnd, options));
  }

  private rangeBody(
    key: string,
    rangeEnd: string | undefined,
    options: { limit?: number; revision?: Int64; keysOnly?: boolean; countOnly?: boolean } & CallOptions,
  ): Promise<Buffer> {
    return this.callRaw(
      'kv/range',
      {
        key,
        ...(rangeEnd === undefined ? {} : { range_end: rangeEnd }),
        ...(options.limit ? { limit: String(options.limit) } : {}),
        ...(options.revision === undefined ? {} : { revision: String(options.revision) }),
        ...(options.keysOnly ? { keys_only: true } : {}),
        ...(options.countOnly ? { count_only: true } : {}),
      },
      options,
    );
  }

  private async authHeader(): Promise<Record<string, string>> {
    if (this.options.auth === undefined) return {};
    const token = await (this.token ?? this.authenticate());
    return { authorization: token };
  }

  /** A call answered with JSON. */
  private async call<T>(path: string, body: unknown, options: CallOptions): Promise<T> {
    return JSON.parse((await this.callRaw(path, body, options)).toString('utf8')) as T;
  }

  /** A call with the auth token; renews the token once when etcd calls it invalid. */
  private async callRaw(path: string, body: unknown, options: CallOptions): Promise<Buffer> {
    const headers = await this.authHeader();
    try {
      return await this.send(path, body, options, headers);
    } catch (error) {
      if (!(error instanceof EtcdGatewayError) || error.grpcCode !== 16 || this.options.auth === undefined)
        throw error;
      this.token = undefined;
      return this.send(path, body, options, await this.authHeader());
    }
  }

  /** POSTs to the current endpoint, moving on to the next one while endpoints refuse connections. */
  private async send(
    path: string,
    body: unknown,
    options: CallOptions,
    headers: Record<string, string> | undefined,
  ): Promise<Buffer> {
    const text = JSON.stringify(body);
    for (let tried = 1; ; tried++) {
      const url = `${this.endpoint}/v3/${path}`;
      let response: HttpResponse;
      try {
        response = await this.http.request(url, {
          method: 'POST',
          body: text,
          headers: { 'content-type': 'application/json', ...headers },
          timeoutMs: options.timeoutMs ?? this.timeoutMs,
          background: options.background ?? false,
          signals: [options.signal, this.closing.signal],
          ...(this.options.maxBodyBytes === undefined ? {} : { maxBodyBytes: this.options.maxBodyBytes }),
        });
      } catch (error) {
        const failure: HttpFailure | undefined =
          error instanceof HttpRequestError ? error.failure : undefined;
        if (failure?.kind === 'network' && !isTlsFailure(failure) && tried < this.hosts.length) {
          this.current = (this.current + 1) % this.hosts.length;
          continue;
        }
        if (failure) throw errorFromFailure(failure, url, this.closing.signal.aborted, error);
        throw error;
      }
      if (response.status >= 200 && response.status < 300) return response.body;
      throw errorFromBody(response.status, response.body.toString('utf8'), url);
    }
  }

  private error(reason: EtcdGatewayErrorReason, message: string): EtcdGatewayError {
    return new EtcdGatewayError(reason, `${this.endpoint}: ${message}`, {});
  }
}
