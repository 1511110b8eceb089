/**
 * (At the ~300-line house limit since sessions and CAS writes joined the KV reads: writes and sessions
 * are the part to move out next.)
 * KV reads over Consul's HTTP API (`GET /v1/kv/<key>`), on the source kit's HTTP client: the index
 * header, cancellation, a deadline, a body size limit, TLS, strict checks of the answer, and sockets
 * that never keep the process alive. No Consul client library is loaded.
 */
import {
  DEFAULT_MAX_BODY_BYTES,
  describeHttpFailure,
  type HttpClient,
  type HttpFailure,
  HttpRequestError,
  type HttpResponse,
} from '../../source-kit/http-client.js';
import { type ConsulAddress, formatAddress } from './address.js';

/** One KV entry, with `Value` decoded from base64 to text (`null` for folder keys and empty values). */
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
  /** A background request (a watch) never keeps the process alive; a foreground read does. */
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
  | { kind: 'body'; status: number; contentType: string; problem: string }
  | HttpFailure;

/** Thrown by {@link KvClient.get}. */
export class KvRequestError extends Error {
  constructor(
    readonly failure: KvFailure,
    readonly address: string,
    options?: { cause?: unknown },
  ) {
    super(`${address}: ${describeKvFailure(failure)}`, options);
  }
}

/** A short text for a failure. */
export function describeKvFailure(failure: KvFailure): string {
  if (failure.kind === 'status') return `HTTP ${failure.status}${failure.body ? ` ${failure.body}` : ''}`;
  if (failure.kind === 'body') {
    return `HTTP ${failure.status} with a ${failure.contentType} body: ${failure.problem}`;
  }
  return describeHttpFailure(failure);
}

/** Strict base64 (Consul's encoding of `Value`): Node's decoder silently skips bad characters. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `/v1/kv/` path of a key: each segment percent-encoded, slashes kept. */
function kvPath(key: string): string {
  return `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Checks and decodes a 200 answer: a JSON array of KV entries whose `Value` is base64 or null.
 * Anything else (an HTML page from a proxy, a JSON object) is a `body` failure, never an empty layer.
 */
export function decodeKvBody(response: Pick<HttpResponse, 'status' | 'headers' | 'body'>): KvEntry[] {
  const contentType =
    String(response.headers['content-type'] ?? 'no content type')
      .split(';')[0]
      ?.trim() ?? '';
  const fail = (problem: string): never => {
    throw { kind: 'body', status: response.status, contentType, problem } satisfies KvFailure;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch {
    return fail('not JSON (expected a JSON array of KV entries; is a proxy answering instead of Consul?)');
  }
  if (!Array.isArray(parsed)) {
    return fail(`a JSON ${parsed === null ? 'null' : typeof parsed} instead of a JSON array of KV entries`);
  }
  return parsed.map((raw: unknown, position) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    if (typeof item.Key !== 'string') return fail(`entry ${position} has no Key`);
    const value = item.Value;
    if (value !== null && value !== undefined && typeof value !== 'string') {
      return fail(`the Value of key "${item.Key}" is not a base64 string`);
    }
    if (typeof value === 'string' && !BASE64.test(value)) {
      return fail(`the Value of key "${item.Key}" is not valid base64`);
    }
    return {
      Key: item.Key,
      Value: typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : null,
      Flags: Number(item.Flags ?? 0),
      LockIndex: Number(item.LockIndex ?? 0),
      CreateIndex: Number(item.CreateIndex ?? 0),
      ModifyIndex: Number(item.ModifyIndex ?? 0),
    };
  });
}

/** Common settings of a write (KV `PUT`/`DELETE`, session calls). */
export interface WriteOptions {
  token?: string;
  dc?: string;
  timeoutMs: number;
  signals?: readonly (AbortSignal | undefined)[];
  /** A background write (a reporter's heartbeat) never keeps the process alive. */
  background: boolean;
}

/** A KV `PUT`: at most one of `cas`, `acquire`, `release` (Consul answers 400 otherwise). */
export interface PutOptions extends WriteOptions {
  /** Check-and-set: 0 = create only; N = only if the key's ModifyIndex is N. */
  cas?: number;
  /** Write only if this session can take (or holds) the key's lock; the key then lives with the session. */
  acquire?: string;
  /** Write and release the lock this session holds. */
  release?: string;
}

/** `PUT /v1/session/create` (TTL as a Go duration; `behavior: 'delete'` deletes held keys on invalidation). */
export interface SessionOptions extends WriteOptions {
  name: string;
  ttl: string;
  behavior: 'release' | 'delete';
  lockDelay: string;
}

/** A KV reader and writer (and session client) bound to one Consul address. */
export class KvClient {
  /** `http(s)://host:port`, for messages. */
  readonly address: string;

  constructor(
    address: ConsulAddress,
    private readonly http: HttpClient,
    private readonly maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
  ) {
    this.address = formatAddress(address);
  }

  /** Reads a key or prefix; rejects with a {@link KvRequestError}. A 404 is an empty result, not an error. */
  async get(query: KvQuery): Promise<KvResult> {
    const url = new URL(kvPath(query.key), this.address);
    if (query.recurse) url.searchParams.set('recurse', 'true');
    if (query.index !== undefined) url.searchParams.set('index', String(query.index));
    if (query.wait !== undefined) url.searchParams.set('wait', query.wait);
    if (query.dc !== undefined) url.searchParams.set('dc', query.dc);
    let response: HttpResponse;
    try {
      response = await this.http.get(url, {
        headers: {
          accept: 'application/json',
          ...(query.token === undefined ? {} : { 'x-consul-token': query.token }),
        },
        timeoutMs: query.timeoutMs,
        ...(query.signals ? { signals: query.signals } : {}),
        maxBodyBytes: this.maxBodyBytes,
        background: query.background,
      });
    } catch (error) {
      if (error instanceof HttpRequestError)
        throw new KvRequestError(error.failure, this.address, { cause: error });
      throw new KvRequestError({ kind: 'network', message: String(error) }, this.address, { cause: error });
    }
    const header = Number(response.headers['x-consul-index'] ?? 0);
    const index = Number.isFinite(header) ? header : 0;
    if (response.status === 404) return { index, entries: [] };
    if (response.status !== 200) {
      const body = response.body.toString('utf8').trim().slice(0, 200);
      throw new KvRequestError({ kind: 'status', status: response.status, body }, this.address);
    }
    try {
      return { index, entries: decodeKvBody(response) };
    } catch (failure) {
      throw new KvRequestError(failure as KvFailure, this.address);
    }
  }

  /** `PUT /v1/kv/<key>`: resolves to Consul's `true`/`false` (false: the cas or lock was refused). */
  async put(key: string, value: string, options: PutOptions): Promise<boolean> {
    const params: Record<string, string> = {};
    if (options.cas !== undefined) params.cas = String(options.cas);
    if (options.acquire !== undefined) params.acquire = options.acquire;
    if (options.release !== undefined) params.release = options.release;
    return (await this.call('PUT', kvPath(key), params, options, value)) === true;
  }

  /** `DELETE /v1/kv/<key>`, with `cas` when given: resolves to Consul's `true`/`false`. */
  async delete(key: string, options: WriteOptions & { cas?: number }): Promise<boolean> {
    const params: Record<string, string> = options.cas === undefined ? {} : { cas: String(options.cas) };
    return (await this.call('DELETE', kvPath(key), params, options)) === true;
  }

  /** `PUT /v1/session/create` with no health checks (TTL only); resolves to the session ID. */
  async createSession(options: SessionOptions): Promise<string> {
    const body = JSON.stringify({
      Name: options.name,
      TTL: options.ttl,
      Behavior: options.behavior,
      LockDelay: options.lockDelay,
      NodeChecks: [],
      Checks: [],
    });
    const answer = (await this.call('PUT', '/v1/session/create', {}, options, body)) as { ID?: unknown };
    if (typeof answer?.ID !== 'string') {
      throw new KvRequestError(
        { kind: 'body', status: 200, contentType: 'application/json', problem: 'no session ID' },
        this.address,
      );
    }
    return answer.ID;
  }

  /** `PUT /v1/session/renew/<id>`: false when the session is gone (404: create a new one). */
  async renewSession(id: string, options: WriteOptions): Promise<boolean> {
    try {
      await this.call('PUT', `/v1/session/renew/${encodeURIComponent(id)}`, {}, options);
      return true;
    } catch (error) {
      const failure = error instanceof KvRequestError ? error.failure : undefined;
      if (failure?.kind === 'status' && failure.status === 404) return false;
      throw error;
    }
  }

  /** `PUT /v1/session/destroy/<id>`: the keys it holds are released or deleted by its behavior. */
  async destroySession(id: string, options: WriteOptions): Promise<void> {
    await this.call('PUT', `/v1/session/destroy/${encodeURIComponent(id)}`, {}, options);
  }

  /** One non-blocking call; resolves to the parsed JSON answer; a non-200 is a `status` failure. */
  private async call(
    method: 'PUT' | 'DELETE',
    path: string,
    params: Record<string, string>,
    options: WriteOptions,
    body?: string,
  ): Promise<unknown> {
    const url = new URL(path, this.address);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    if (options.dc !== undefined) url.searchParams.set('dc', options.dc);
    let response: HttpResponse;
    try {
      response = await this.http.request(url, {
        method,
        ...(body === undefined ? {} : { body }),
        headers: {
          accept: 'application/json',
          ...(options.token === undefined ? {} : { 'x-consul-token': options.token }),
        },
        timeoutMs: options.timeoutMs,
        ...(options.signals ? { signals: options.signals } : {}),
        maxBodyBytes: this.maxBodyBytes,
        background: options.background,
      });
    } catch (error) {
      if (error instanceof HttpRequestError)
        throw new KvRequestError(error.failure, this.address, { cause: error });
      throw new KvRequestError({ kind: 'network', message: String(error) }, this.address, { cause: error });
    }
    const text = response.body.toString('utf8');
    if (response.status !== 200) {
      throw new KvRequestError(
        { kind: 'status', status: response.status, body: text.trim().slice(0, 200) },
        this.address,
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      const contentType = String(response.headers['content-type'] ?? 'no content type');
      throw new KvRequestError({ kind: 'body', status: 200, contentType, problem: 'not JSON' }, this.address);
    }
  }
}
