/**
 * KV reads on the `consul` npm client (2.0.1), with the index header, cancellation, a timeout and
 * sockets that never keep the process alive.
 */
import { EventEmitter } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import Consul from 'consul';
import { type ConsulAddress, formatAddress } from './consul-address.js';

/** One KV entry, with `Value` decoded to text by the client (`null` for folder keys and empty values). */
export interface KvEntry {
  Key: string;
  Value: string | null;
  Flags: number;
  LockIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
}

/** One KV read. */
export interface KvQuery {
  /** The key, or the prefix when `recurse`. */
  key: string;
  recurse: boolean;
  /** Blocking: wait for an index greater than this (0 or absent = answer at once). */
  index?: number;
  /** Blocking: Go duration the server may hold the request (e.g. `300000ms`). */
  wait?: string;
  token?: string;
  dc?: string;
  /** Client-side deadline; the request is cancelled after it (must exceed wait + wait/16). */
  timeoutMs: number;
  /** Any of these aborting cancels the request at once. */
  signals?: readonly (AbortSignal | undefined)[];
  /**
   * A background request (a watch) must not keep the process alive: its socket is unref'd. A
   * foreground read (startup, `sync()`) holds the event loop until it settles, like `fs.readFile`.
   */
  background: boolean;
}

/** The answer: the `X-Consul-Index` and the entries (none after a 404). */
export interface KvResult {
  index: number;
  entries: KvEntry[];
}

/** Why a KV read failed, before the source turns it into a ConfigError. */
export type KvFailure =
  | { kind: 'status'; status: number; body: string }
  | { kind: 'network'; message: string }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'aborted'; reason: unknown };

/** Thrown by {@link KvClient.get}. */
export class KvRequestError extends Error {
  constructor(
    readonly failure: KvFailure,
    readonly address: string,
    options?: { cause?: unknown },
  ) {
    super(`${address}: ${describeFailure(failure)}`, options);
  }
}

function describeFailure(failure: KvFailure): string {
  switch (failure.kind) {
    case 'status':
      return `HTTP ${failure.status}${failure.body ? ` ${failure.body}` : ''}`;
    case 'network':
      return failure.message;
    case 'timeout':
      return `no answer within ${failure.timeoutMs} ms`;
    case 'aborted':
      return 'request aborted';
  }
}

/** The options `kv.get` accepts at runtime; its typings omit `index`, `wait`, `token` and `ctx`. */
interface RawGetOptions {
  key: string;
  recurse?: boolean;
  index?: string;
  wait?: string;
  token?: string;
  dc?: string;
  ctx: EventEmitter & { includeResponse: true };
}

type RawGetResult = [IncomingMessage, KvEntry | KvEntry[] | undefined];

/**
 * The one typed door to `kv.get`'s untyped options. With `ctx.includeResponse` the client resolves
 * to `[response, body]` (body `undefined` on a 404), which is how the index header is read;
 * `ctx.emit('cancel')` aborts the request.
 */
function kvGet(client: Consul, options: RawGetOptions): Promise<RawGetResult> {
  const get = client.kv.get as unknown as (
    this: Consul['kv'],
    options: RawGetOptions,
  ) => Promise<RawGetResult>;
  return get.call(client.kv, options);
}

/** An agent without keep-alive (no idle sockets linger); with `unref`, its sockets never hold the process. */
function createAgent(secure: boolean, unref: boolean): http.Agent {
  const agent: http.Agent = secure
    ? new https.Agent({ keepAlive: false })
    : new http.Agent({ keepAlive: false });
  if (!unref) return agent;
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = create(options, callback);
    (socket as Socket | null | undefined)?.unref?.();
    return socket;
  };
  return agent;
}

/** A KV reader bound to one Consul address. */
export class KvClient {
  /** `http(s)://host:port`, for messages. */
  readonly address: string;
  private readonly foreground: Consul;
  private readonly background: Consul;

  constructor(address: ConsulAddress) {
    this.address = formatAddress(address);
    const host = address.host.includes(':') ? `[${address.host}]` : address.host;
    const connect = (unref: boolean) =>
      new Consul({
        host,
        port: address.port,
        secure: address.secure,
        agent: createAgent(address.secure, unref),
      });
    this.foreground = connect(false);
    this.background = connect(true);
  }

  /** Reads a key or prefix; rejects with a {@link KvRequestError}. A 404 is an empty result, not an error. */
  async get(query: KvQuery): Promise<KvResult> {
    const ctx = Object.assign(new EventEmitter(), { includeResponse: true as const });
    let cancelled: KvFailure | undefined;
    const cancel = (failure: KvFailure) => {
      if (cancelled) return;
      cancelled = failure;
      ctx.emit('cancel');
    };
    const signals = (query.signals ?? []).filter((signal): signal is AbortSignal => signal !== undefined);
    const aborted = signals.find((signal) => signal.aborted);
    if (aborted) throw new KvRequestError({ kind: 'aborted', reason: aborted.reason }, this.address);
    const listeners = signals.map((signal) => {
      const listener = () => cancel({ kind: 'aborted', reason: signal.reason });
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    });
    const timer = setTimeout(() => cancel({ kind: 'timeout', timeoutMs: query.timeoutMs }), query.timeoutMs);
    timer.unref();
    try {
      const [res, body] = await kvGet(query.background ? this.background : this.foreground, {
        key: query.key,
        ...(query.recurse ? { recurse: true } : {}),
        ...(query.index === undefined ? {} : { index: String(query.index) }),
        ...(query.wait === undefined ? {} : { wait: query.wait }),
        ...(query.token === undefined ? {} : { token: query.token }),
        ...(query.dc === undefined ? {} : { dc: query.dc }),
        ctx,
      });
      const index = Number(res.headers['x-consul-index'] ?? 0);
      const entries = body === undefined ? [] : Array.isArray(body) ? body : [body];
      return { index: Number.isFinite(index) ? index : 0, entries };
    } catch (error) {
      throw new KvRequestError(cancelled ?? classify(error), this.address, { cause: error });
    } finally {
      clearTimeout(timer);
      for (const remove of listeners) remove();
    }
  }

  /** Closes every socket (`Consul.destroy()` destroys its agent). */
  destroy(): void {
    this.foreground.destroy();
    this.background.destroy();
  }
}

interface PapiError {
  isResponse?: boolean;
  statusCode?: number;
  response?: { body?: unknown };
  message?: string;
}

function classify(error: unknown): KvFailure {
  const failure = (error ?? {}) as PapiError;
  if (failure.isResponse && typeof failure.statusCode === 'number') {
    const raw = failure.response?.body;
    const body = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString() : '';
    return { kind: 'status', status: failure.statusCode, body: body.trim().slice(0, 200) };
  }
  const message = String(failure.message ?? error).replace(/^consul: kv\.get: /, '');
  return { kind: 'network', message };
}
