/**
 * An in-process implementation of Consul's KV HTTP API for tests and benchmarks, with fault
 * injection (down/up, latency, failing requests, index resets) and a request log.
 *
 * @example
 * const consul = await startConsulServer();
 * consul.put('config/app/port', '8080');
 * // ... point a client at consul.host / consul.port ...
 * await consul.close();
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nextMatchingEvent } from '../helpers/next-event.js';
import { RestartableHttp } from '../helpers/restartable-http.js';
import type { AclConfig } from './acl.js';
import { BlockingQueries } from './blocking.js';
import { FAULT_BODIES, type FaultStatus, type Faults, type RouterState, route } from './router.js';
import { DEFAULT_SESSION_SETTINGS, type Session, SessionTable } from './sessions.js';
import { KvStore } from './store.js';

import type { ConsulServerEvents, ConsulServerOptions, EntryView, RequestRecord } from './types.js';

export type { AclConfig, AclRules } from './acl.js';
export type { FaultStatus } from './router.js';
export type { Session } from './sessions.js';
export type { ConsulServerEvents, ConsulServerOptions, EntryView, RequestRecord } from './types.js';

/** The running test server. Create it with {@link startConsulServer}. */
export class ConsulTestServer extends EventEmitter<ConsulServerEvents> {
  /** Always `127.0.0.1`. */
  readonly host = '127.0.0.1';
  private readonly store = new KvStore();
  private readonly blocking = new BlockingQueries(this.store);
  private readonly sessionTable: SessionTable;
  private readonly log: RequestRecord[] = [];
  private readonly faults: Faults = { latencyMs: 0, failures: { remaining: 0, status: 500, body: '' } };
  private readonly http: RestartableHttp;
  private aclConfig: AclConfig | undefined;
  private closed = false;

  /** @internal use {@link startConsulServer}. */
  constructor(private readonly options: ConsulServerOptions = {}) {
    super();
    this.aclConfig = options.acl;
    this.sessionTable = new SessionTable(this.store, {
      ...DEFAULT_SESSION_SETTINGS,
      ...(options.sessions?.minTtlMs === undefined ? {} : { minTtlMs: options.sessions.minTtlMs }),
      ...(options.sessions?.ttlMultiplier === undefined
        ? {}
        : { ttlMultiplier: options.sessions.ttlMultiplier }),
    });
    this.sessionTable.onExpire = (session) =>
      this.emit('session-expired', { id: session.id, name: session.name });
    this.http = new RestartableHttp((req, res) => this.handle(req, res), options.port ?? 0, this.host);
  }

  /** The port (stays the same across {@link down} / {@link up}). */
  get port(): number {
    return this.http.port;
  }

  /** `127.0.0.1:<port>`, the form of `CONSUL_HTTP_ADDR`. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://${this.address}`;
  }

  /** The current raft index. */
  get index(): number {
    return this.store.raftIndex;
  }

  /** How many HTTP requests arrived so far (since the last {@link clearLog}). */
  get requestCount(): number {
    return this.log.length;
  }

  /** Every request so far (since the last {@link clearLog}), oldest first. */
  get requests(): readonly RequestRecord[] {
    return this.log;
  }

  /** How many blocking queries are parked right now. */
  get pendingBlocking(): number {
    return this.blocking.pending;
  }

  /** Forgets the request log. */
  clearLog(): void {
    this.log.length = 0;
  }

  /** Starts listening (on the same port as before after a {@link down}). */
  async up(): Promise<void> {
    if (this.closed) throw new Error('consul test server is closed');
    await this.http.up();
  }

  /** Stops listening and drops every connection (pending blocking queries included); keeps the data. */
  async down(): Promise<void> {
    await this.http.down(() => this.blocking.closeAll());
  }

  /** Stops for good: ends pending blocking requests and every socket. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.down();
    this.sessionTable.stopTimers();
    this.closed = true;
  }

  /** Adds latency (ms) before each request is handled; 0 turns it off. */
  setLatency(ms: number): void {
    this.faults.latencyMs = ms;
  }

  /** Makes the next `count` requests fail with `status` and a text body (Consul's message by default). */
  failNext(count: number, status: FaultStatus = 500, body: string = FAULT_BODIES[status]): void {
    this.faults.failures = { remaining: count, status, body };
  }

  /** Replaces the ACL config (`undefined` turns ACLs off). Applies to requests that arrive afterwards. */
  setAcl(acl: AclConfig | undefined): void {
    this.aclConfig = acl;
  }

  /** Makes the index go backwards, as after a snapshot restore; parked queries return at once. */
  resetIndex(): void {
    this.store.reset();
  }

  /** Writes a key directly (no HTTP, no latency, no faults); returns its ModifyIndex. */
  put(key: string, value: string | Buffer | null, options: { flags?: number } = {}): number {
    const body = typeof value === 'string' ? Buffer.from(value) : value;
    const flags = options.flags === undefined ? {} : { flags: String(options.flags) };
    this.store.set(key, body, flags);
    return this.store.get(key)?.modifyIndex ?? this.store.raftIndex;
  }

  /** Deletes a key, or every key under a prefix with `recurse`. */
  delete(key: string, options: { recurse?: boolean } = {}): void {
    if (options.recurse) this.store.deleteTree(key);
    else this.store.delete(key);
  }

  /** Reads a key directly. */
  get(key: string): EntryView | undefined {
    const entry = this.store.get(key);
    if (!entry) return undefined;
    const { flags, createIndex, modifyIndex } = entry;
    return {
      key,
      value: entry.value === null ? null : entry.value.toString(),
      flags,
      createIndex,
      modifyIndex,
      ...(entry.session === undefined ? {} : { session: entry.session }),
    };
  }

  /** The live sessions, oldest first. */
  sessions(): Session[] {
    return this.sessionTable.list();
  }

  /** Invalidates a session now, as a failed health check would (its keys are released or deleted). */
  invalidateSession(id: string): boolean {
    return this.sessionTable.destroy(id);
  }

  /** Resolves when a session's TTL passes without a renew; rejects after `timeoutMs`. */
  nextSessionExpiry(
    predicate: (session: { id: string; name: string }) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<{ id: string; name: string }> {
    return nextMatchingEvent(
      this as EventEmitter,
      'session-expired',
      predicate,
      timeoutMs,
      'consul test server',
    );
  }

  /** The keys under a prefix, sorted. */
  keys(prefix = ''): string[] {
    return this.store.list(prefix).map((entry) => entry.key);
  }

  /**
   * Resolves with the next event of this kind that matches `predicate`; rejects after `timeoutMs`.
   * The way tests wait for "the watcher parked" or "the server saw the connection close".
   */
  nextEvent<K extends keyof ConsulServerEvents>(
    event: K,
    predicate: (record: RequestRecord) => boolean = () => true,
    timeoutMs = 2000,
  ): Promise<RequestRecord> {
    return nextMatchingEvent(this as EventEmitter, event, predicate, timeoutMs, 'consul test server');
  }

  private routerState(): RouterState {
    return {
      store: this.store,
      blocking: this.blocking,
      acl: () => this.aclConfig,
      datacenter: this.options.datacenter ?? 'dc1',
      maxValueSize: this.options.maxValueSize ?? 512 * 1024,
      random: this.options.random ?? Math.random,
      faults: this.faults,
      leader: () => this.options.leader ?? '127.0.0.1:8300',
      sessions: this.sessionTable,
      node: this.options.node ?? 'consul-test',
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const record: RequestRecord = {
      id: this.log.length + 1,
      method: req.method ?? 'GET',
      path: url.split('?')[0] ?? '/',
      query: Object.fromEntries(new URL(url, 'http://consul.invalid').searchParams),
      startedAt: Date.now(),
      parked: false,
      aborted: false,
    };
    this.log.push(record);
    const controller = new AbortController();
    res.on('close', () => {
      record.endedAt = Date.now();
      if (res.writableFinished) return;
      record.aborted = true;
      controller.abort();
      this.emit('abort', record);
    });
    res.on('finish', () => {
      record.status = res.statusCode;
      record.endedAt = Date.now();
      this.emit('response', record);
    });
    this.emit('request', record);
    const onPark = () => {
      record.parked = true;
      this.emit('park', record);
    };
    route({ req, res, signal: controller.signal, onPark }, this.routerState()).catch((error: unknown) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end(error instanceof Error ? error.message : String(error));
      } else res.destroy();
    });
  }
}

/** Starts a test server on 127.0.0.1 (a free port unless `options.port` is given). */
export async function startConsulServer(options: ConsulServerOptions = {}): Promise<ConsulTestServer> {
  const server = new ConsulTestServer(options);
  await server.up();
  return server;
}
