/**
 * A small HTTP(S) client for sources (Consul KV, etcd's JSON gateway, the http source, your own): GET
 * or POST with a body, a deadline, abort signals, a body size limit enforced while streaming,
 * redirects within a limit, TLS options, streaming responses (see http-stream.ts), and sockets that
 * never keep the process alive for background requests.
 */
import type http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type https from 'node:https';
import type { Socket } from 'node:net';
import { type HttpFailure, HttpRequestError } from './http-failure.js';
import { failedStream, type HttpStream, type HttpStreamOptions, openStream } from './http-stream.js';
import { headersAfterRedirect, type RedirectPolicy } from './redirect-headers.js';

export {
  describeHttpFailure,
  type HttpFailure,
  HttpRequestError,
  isTlsFailure,
} from './http-failure.js';

/** `node:http`, loaded on the first request: a process that never makes one does not pay for it. */
const nodeHttp = (): typeof http => process.getBuiltinModule('node:http');
/** `node:https`, loaded on the first HTTPS request. */
const nodeHttps = (): typeof https => process.getBuiltinModule('node:https');

/** Largest body a source accepts by default (32 MiB); past it the read fails and the last good data stays. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** TLS settings: PEM text (or Buffers) for a private CA and a client certificate. */
export interface TlsOptions {
  /** CA certificate(s) trusted for the server (default: Node's root store). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Client certificate chain, for servers that require client-certificate auth. */
  cert?: string | Buffer;
  /** The client certificate's private key. */
  key?: string | Buffer;
  /** Verify the server certificate (default true). */
  rejectUnauthorized?: boolean;
}

/** One GET. */
export interface HttpGetOptions {
  headers?: Record<string, string>;
  /** Deadline of the whole request, body included. */
  timeoutMs: number;
  /** Any of these aborting cancels the request at once. */
  signals?: readonly (AbortSignal | undefined)[];
  /** Largest body accepted (default {@link DEFAULT_MAX_BODY_BYTES}). */
  maxBodyBytes?: number;
  /** Redirects followed (default 0: a 3xx is returned as it is). */
  maxRedirects?: number;
  /**
   * A redirect to another origin: `'follow'` (default) sends only Accept and User-Agent of `headers`
   * along; `'same-origin'` does not follow it and returns the 3xx response as it is.
   */
  redirects?: RedirectPolicy;
  /**
   * A background request (a watch) must not keep the process alive: its socket is unref'd. A
   * foreground read (startup, `sync()`) holds the event loop until it settles, like `fs.readFile`.
   */
  background: boolean;
}

/** One request with a method and a body (`get()` is `request()` with GET and no body). */
export interface HttpRequestOptions extends HttpGetOptions {
  /** Default `GET`. */
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Request body (sent with a Content-Length). */
  body?: string | Buffer;
}

/** A complete response. */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs over keep-alive-free agents (no idle socket lingers), one pair per protocol: foreground and
 * background (unref'd sockets).
 *
 * @example
 * const client = new HttpClient({ tls: { ca } });
 * const response = await client.get('https://config.internal/app.json', { timeoutMs: 5000, background: false });
 */
export class HttpClient {
  private readonly agents = new Map<string, http.Agent>();
  private destroyed = false;

  constructor(private readonly options: { tls?: TlsOptions } = {}) {}

  /** GETs `url`; resolves with any status (the caller maps them), rejects with an {@link HttpRequestError}. */
  get(url: string | URL, options: HttpGetOptions): Promise<HttpResponse> {
    return this.request(url, options);
  }

  /**
   * Sends one request (GET by default; POST/PUT with `body`); resolves with any status, rejects with
   * an {@link HttpRequestError}. Redirects are followed for GET only.
   */
  async request(url: string | URL, options: HttpRequestOptions): Promise<HttpResponse> {
    let current = new URL(url);
    let headers = { ...options.headers };
    const maxRedirects = options.maxRedirects ?? 0;
    const deadline = Date.now() + options.timeoutMs;
    for (let redirects = 0; ; redirects++) {
      const response = await this.once(current, headers, options, Math.max(1, deadline - Date.now()));
      const location = response.headers.location;
      const method = options.method ?? 'GET';
      if (
        !REDIRECTS.has(response.status) ||
        location === undefined ||
        maxRedirects === 0 ||
        method !== 'GET'
      ) {
        return response;
      }
      if (redirects >= maxRedirects) {
        throw new HttpRequestError({ kind: 'redirects', limit: maxRedirects }, current.href);
      }
      const next = new URL(location, current);
      if (next.origin !== current.origin && options.redirects === 'same-origin') return response;
      headers = headersAfterRedirect(headers, current, next);
      current = next;
    }
  }

  /** Closes every socket; later requests fail. */
  destroy(): void {
    this.destroyed = true;
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  /**
   * Opens a streaming request: `onChunk` gets the body as it arrives, without a size limit (the
   * caller bounds what it keeps, e.g. with {@link splitLines}). `timeoutMs` bounds only the wait for
   * the response head. See {@link HttpStream}.
   */
  stream(url: string | URL, options: HttpStreamOptions, onChunk: (chunk: Buffer) => void): HttpStream {
    const target = new URL(url);
    if (this.destroyed) return failedStream({ kind: 'aborted', reason: 'closed' }, target.href);
    const secure = target.protocol === 'https:';
    return openStream(target, options, onChunk, this.agent(secure, options.background));
  }

  /** The agent for a protocol and a foreground/background request (shared with http-stream.ts). */
  private agent(secure: boolean, background: boolean): http.Agent {
    const id = `${secure ? 's' : 'p'}${background ? 'b' : 'f'}`;
    let agent = this.agents.get(id);
    if (agent) return agent;
    const tls = this.options.tls ?? {};
    agent = secure
      ? new (nodeHttps().Agent)({
          keepAlive: false,
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
          ...(tls.cert === undefined ? {} : { cert: tls.cert }),
          ...(tls.key === undefined ? {} : { key: tls.key }),
          ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
        })
      : new (nodeHttp().Agent)({ keepAlive: false });
    if (background) {
      const create = agent.createConnection.bind(agent);
      agent.createConnection = (connectOptions, callback) => {
        const socket = create(connectOptions, callback);
        (socket as Socket | null | undefined)?.unref?.();
        return socket;
      };
    }
    this.agents.set(id, agent);
    return agent;
  }

  private once(
    url: URL,
    headers: Record<string, string>,
    options: HttpRequestOptions,
    timeoutMs: number,
  ): Promise<HttpResponse> {
    const href = url.href;
    if (this.destroyed) {
      return Promise.reject(new HttpRequestError({ kind: 'aborted', reason: 'closed' }, href));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return Promise.reject(
        new HttpRequestError({ kind: 'network', message: `unsupported protocol ${url.protocol}` }, href),
      );
    }
    const signals = (options.signals ?? []).filter((signal): signal is AbortSignal => signal !== undefined);
    const aborted = signals.find((signal) => signal.aborted);
    if (aborted)
      return Promise.reject(new HttpRequestError({ kind: 'aborted', reason: aborted.reason }, href));
    const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const secure = url.protocol === 'https:';
    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      const cleanups: Array<() => void> = [];
      const finish = (error: HttpRequestError | undefined, response?: HttpResponse) => {
        if (settled) return;
        settled = true;
        for (const cleanup of cleanups) cleanup();
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(response as HttpResponse);
      };
      const transport: typeof http | typeof https = secure ? nodeHttps() : nodeHttp();
      const body = options.body;
      const request = transport.request(url, {
        method: options.method ?? 'GET',
        headers:
          body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: this.agent(secure, options.background),
      });
      const timer = setTimeout(
        () => finish(new HttpRequestError({ kind: 'timeout', timeoutMs }, href)),
        timeoutMs,
      );
      timer.unref();
      cleanups.push(() => clearTimeout(timer));
      for (const signal of signals) {
        const onAbort = () => finish(new HttpRequestError({ kind: 'aborted', reason: signal.reason }, href));
        signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }
      request.on('error', (error: NodeJS.ErrnoException) => {
        const failure: HttpFailure = { kind: 'network', message: error.message };
        if (error.code !== undefined) failure.code = error.code;
        finish(new HttpRequestError(failure, href, { cause: error }));
      });
      request.on('response', (response) => {
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) {
          response.destroy();
          finish(new HttpRequestError({ kind: 'too-large', limit }, href));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) {
            response.destroy();
            finish(new HttpRequestError({ kind: 'too-large', limit }, href));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error) => {
          finish(new HttpRequestError({ kind: 'network', message: error.message }, href, { cause: error }));
        });
        response.on('end', () => {
          finish(undefined, {
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks, size),
            url: href,
          });
        });
      });
      request.end(body);
    });
  }
}
