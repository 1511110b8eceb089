/**
 * The transport of the Consul KV client: one request over the source kit's {@link HttpClient} with
 * Consul's headers, and its failures as {@link KvRequestError}s (shared by reads and writes).
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

/** Why a KV read failed, before the source turns it into a ConfigError. */
export type KvFailure =
  | { kind: 'status'; status: number; body: string }
  | { kind: 'body'; status: number; contentType: string; problem: string }
  | HttpFailure;

/** Thrown by the KV client's reads and writes; `failure` says why, `address` where. */
export class KvRequestError extends Error {
  readonly failure: KvFailure;
  readonly address: string;

  constructor(failure: KvFailure, address: string, options?: { cause?: unknown }) {
    super(`${address}: ${describeKvFailure(failure)}`, options);
    this.failure = failure;
    this.address = address;
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

/** `/v1/kv/` path of a key: each segment percent-encoded, slashes kept. */
export function kvPath(key: string): string {
  return `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** What every request carries: the token, the datacenter, a deadline, abort signals, foreground or not. */
export interface RequestOptions {
  token?: string;
  dc?: string;
  /** Client-side deadline; the request is cancelled after it. */
  timeoutMs: number;
  /** Any of these aborting cancels the request at once. */
  signals?: readonly (AbortSignal | undefined)[];
  /** A background request (a watch, a heartbeat) never keeps the process alive; a foreground one does. */
  background: boolean;
}

/** One Consul address on an {@link HttpClient}: sends requests, turns transport failures into {@link KvRequestError}. */
export class KvTransport {
  /** `http(s)://host:port`, for messages. */
  readonly address: string;

  constructor(
    address: ConsulAddress,
    private readonly http: HttpClient,
    private readonly maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
  ) {
    this.address = formatAddress(address);
  }

  /** Sends one request to `path` with `params` (and `dc`); resolves with any status. */
  protected async send(
    method: 'GET' | 'PUT' | 'DELETE',
    path: string,
    params: Record<string, string>,
    options: RequestOptions,
    body?: string,
  ): Promise<HttpResponse> {
    const url = new URL(path, this.address);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    if (options.dc !== undefined) url.searchParams.set('dc', options.dc);
    try {
      return await this.http.request(url, {
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
  }

  /** A non-200 answer as a `status` failure (the first 200 characters of its body). */
  protected statusFailure(response: HttpResponse): KvRequestError {
    const body = response.body.toString('utf8').trim().slice(0, 200);
    return new KvRequestError({ kind: 'status', status: response.status, body }, this.address);
  }
}
