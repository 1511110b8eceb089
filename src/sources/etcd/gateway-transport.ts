/**
 * The transport of the {@link EtcdGateway}: POSTs to the JSON gateway over the kit's
 * {@link HttpClient}, moving on to the next endpoint while endpoints refuse connections, with the
 * auth token (fetched on the first call, renewed once when etcd calls it invalid).
 */
import { setMaxListeners } from 'node:events';
import { HttpClient, type HttpResponse, type TlsOptions } from '../../source-kit/http-client.js';
import { type HttpFailure, HttpRequestError, isTlsFailure } from '../../source-kit/http-failure.js';
import {
  EtcdGatewayError,
  type EtcdGatewayErrorReason,
  errorFromBody,
  errorFromFailure,
} from './gateway-errors.js';

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

/** The requests of one gateway client; `close()` of the client aborts `closing` and destroys `http`. */
export class GatewayTransport {
  readonly http: HttpClient;
  readonly timeoutMs: number;
  /** Aborted when the client closes: every request and stream ends at once. */
  readonly closing = new AbortController();
  private readonly hosts: string[];
  private current = 0;
  private token: Promise<string> | undefined;

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

  /** Ends every request at once. */
  abort(): void {
    this.closing.abort();
  }

  /** Closes every socket. */
  destroy(): void {
    this.http.destroy();
  }

  /** Forgets the token (a watch was told it is invalid). */
  invalidateToken(): void {
    this.token = undefined;
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

  /** The `authorization` header (none without `auth`). */
  async authHeader(): Promise<Record<string, string>> {
    if (this.options.auth === undefined) return {};
    const token = await (this.token ?? this.authenticate());
    return { authorization: token };
  }

  /** A call answered with JSON. */
  async call<T>(path: string, body: unknown, options: CallOptions): Promise<T> {
    return JSON.parse((await this.callRaw(path, body, options)).toString('utf8')) as T;
  }

  /** A call with the auth token; renews the token once when etcd calls it invalid. */
  async callRaw(path: string, body: unknown, options: CallOptions): Promise<Buffer> {
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

  /** An error of reason `reason` naming the current endpoint. */
  error(reason: EtcdGatewayErrorReason, message: string): EtcdGatewayError {
    return new EtcdGatewayError(reason, `${this.endpoint}: ${message}`, {});
  }
}
