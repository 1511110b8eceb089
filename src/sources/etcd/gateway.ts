/**
 * A small typed client for etcd's v3 JSON gateway (etcd ≥ 3.4, `POST /v3/<service>/<method>`), over
 * the source kit's HttpClient (gateway-transport.ts): no gRPC, no client package. The etcd source reads pages and
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
import { encodeKey, type Int64, type RawKeyValue, toKeyValue } from './gateway-codec.js';
import { errorFromFailure } from './gateway-errors.js';
import { DEFAULT_PAGE, PAGE_TIMEOUT_MS, readPages } from './gateway-pages.js';
import {
  type Compare,
  compareBody,
  type KeyRange,
  opBody,
  parseRange,
  putBody,
  type RangePage,
  rangeEndOf,
  type TxnOp,
  type TxnResult,
} from './gateway-requests.js';
import { type CallOptions, type EtcdGatewayOptions, GatewayTransport } from './gateway-transport.js';
import { openWatch, type WatchContext, type WatchHandlers, type WatchRequest } from './gateway-watch.js';

export type { Int64, KeyValue } from './gateway-codec.js';
export { EtcdGatewayError, type EtcdGatewayErrorReason } from './gateway-errors.js';
export type { Compare, KeyRange, RangePage, TxnOp, TxnResult } from './gateway-requests.js';
export type { CallOptions, EtcdGatewayOptions } from './gateway-transport.js';
export type { EtcdWatch, WatchEnd, WatchEvent, WatchHandlers, WatchRequest } from './gateway-watch.js';

/** The client; see the module comment for its conventions and API. */
export class EtcdGateway {
  /** Endpoints, the auth token, and the requests (gateway-transport.ts). */
  private readonly transport: GatewayTransport;
  private readonly timeoutMs: number;
  private readonly watches = new Set<{ close(): void }>();

  constructor(private readonly options: EtcdGatewayOptions) {
    this.transport = new GatewayTransport(options);
    this.timeoutMs = this.transport.timeoutMs;
  }

  /** The endpoint calls go to now. */
  get endpoint(): string {
    return this.transport.endpoint;
  }

  /** Exchanges the configured user and password for a token (cached for later calls). */
  authenticate(options: CallOptions = {}): Promise<string> {
    return this.transport.authenticate(options);
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
    const timeoutMs = options.timeoutMs ?? Math.max(this.timeoutMs, PAGE_TIMEOUT_MS);
    return readPages(
      (from, limit, revision) =>
        this.rangeBody(from, end, { ...options, timeoutMs, limit, ...(revision ? { revision } : {}) }),
      encodeKey(key),
      options.pageSize ?? DEFAULT_PAGE,
      options.onPage,
    );
  }

  /** Writes a key (optionally attached to a lease); `prevKv` returns the value it replaced. */
  async put(
    key: string,
    value: string,
    options: { lease?: Int64; prevKv?: boolean } & CallOptions = {},
  ): Promise<{ revision: string; prevKv?: RangePage['kvs'][number] }> {
    const body = await this.transport.call<{ header?: { revision?: string }; prev_kv?: RawKeyValue }>(
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
    const body = await this.transport.call<{ header?: { revision?: string }; deleted?: string }>(
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
    const body = await this.transport.call<{
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
    const body = await this.transport.call<{ ID?: string; TTL?: string; error?: string }>(
      'lease/grant',
      { TTL: String(ttlSeconds) },
      options,
    );
    if (body.ID === undefined)
      throw this.transport.error('status', `lease grant failed: ${body.error ?? 'no lease id'}`);
    return { id: body.ID, ttl: Number(body.TTL ?? ttlSeconds) };
  }

  /** Renews a lease once; rejects with reason `not-found` when it expired or was revoked. */
  async leaseKeepAlive(id: Int64, options: CallOptions = {}): Promise<{ id: string; ttl: number }> {
    const body = await this.transport.call<{ result?: { ID?: string; TTL?: string } }>(
      'lease/keepalive',
      { ID: String(id) },
      options,
    );
    const ttl = Number(body.result?.TTL ?? 0);
    if (!(ttl > 0)) throw this.transport.error('not-found', `lease ${id} not found (expired or revoked)`);
    return { id: String(id), ttl };
  }

  /** Revokes a lease (its keys are deleted); rejects with reason `not-found` when it is gone already. */
  async leaseRevoke(id: Int64, options: CallOptions = {}): Promise<void> {
    await this.transport.call('lease/revoke', { ID: String(id) }, options);
  }

  /** Compacts the store's history up to `revision` (tests and tools; sources never compact). */
  async compact(revision: Int64, options: { physical?: boolean } & CallOptions = {}): Promise<void> {
    await this.transport.call(
      'kv/compaction',
      { revision: String(revision), physical: options.physical ?? true },
      options,
    );
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
    this.transport.abort();
    for (const watch of [...this.watches]) watch.close();
    this.transport.destroy();
  }

  private watchContext(): WatchContext {
    return {
      http: this.transport.http,
      endpoint: () => this.endpoint,
      token: () => this.transport.authHeader(),
      invalidateToken: () => this.transport.invalidateToken(),
      probe: (key) => this.range(key, { limit: 1, keysOnly: true, background: true }).then(() => undefined),
      timeoutMs: this.timeoutMs,
      closing: this.transport.closing.signal,
      maxLineBytes: this.options.maxBodyBytes ?? 32 * 1024 * 1024,
      error: (failure, url) => errorFromFailure(failure, url, this.transport.closing.signal.aborted),
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
    return this.transport.callRaw(
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
}
