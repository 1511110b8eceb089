/**
 * The HTTP source: a JSON/YAML/TOML document (or any format, with a parser) served over HTTP(S),
 * polled with conditional requests, or long-polled from servers that hold requests. Built only on
 * the source kit.
 */
import type { Parser } from '../../reader/contract.js';
import { ConfigError } from '../../reader/errors.js';
import type { Environ, Format } from '../../reader/formats/index.js';
import { checkFormat } from '../../reader/formats/index.js';
import type { Origin } from '../../reader/provenance.js';
import type { Observable } from '../../rx/index.js';
import { DEFAULT_BACKOFF } from '../../source-kit/backoff.js';
import { DEFAULT_MAX_BODY_BYTES, HttpClient, type TlsOptions } from '../../source-kit/http-client.js';
import { pollingWatch } from '../../source-kit/poll.js';
import { REDIRECT_POLICIES, type RedirectPolicy } from '../../source-kit/redirect-headers.js';
import type { ChangeSet, Source } from '../../source-kit/source.js';
import { SourceBase } from '../../source-kit/source-base.js';
import { type HttpDocumentState, HttpFetcher } from './fetch.js';

/** Long-poll settings: each request asks the server to hold it until the document changes. */
export interface HttpLongPollOptions {
  /** Query parameter carrying the wait (default `wait`). */
  waitParam?: string;
  /** How long the server may hold a request, in ms (default 60,000); sent as `<ms>ms` unless `formatWait` says otherwise. */
  waitMs?: number;
  /** How the wait is written in the query (default Go style: `60000ms`). */
  formatWait?: (ms: number) => string;
  /** A response header holding an index to send back (Consul style: `X-Consul-Index`); optional. */
  indexHeader?: string;
  /** Query parameter for that index (default `index`). */
  indexParam?: string;
  /** Least time between two requests, in ms, so a server that answers at once cannot make the loop spin (default 1000). */
  minIntervalMs?: number;
}

/** Options of {@link http}. */
export interface HttpOptions {
  /** The document's URL (http or https). */
  url: string;
  /** Time between polls in ms (default 30,000); not used in long-poll mode. */
  intervalMs?: number;
  /** Long-poll the server instead of polling on an interval (`true` for the defaults). */
  longPoll?: boolean | HttpLongPollOptions;
  /**
   * Extra request headers (e.g. authorization). A redirect to another origin carries none of them but
   * Accept and User-Agent.
   */
  headers?: Record<string, string>;
  /** Built-in format (default: from the Content-Type, else the URL's extension, else JSON). */
  format?: Format;
  /** A parser of your own (wins over `format`). */
  parser?: Parser;
  /** A 404 is an empty layer instead of `NOT_FOUND`. */
  optional?: boolean;
  /** Deadline of each request in ms, body included (default 10,000; long polls add their wait). */
  timeoutMs?: number;
  /** Largest body accepted, in bytes (default 32 MiB); past it the read fails and the last good data stays. */
  maxBodyBytes?: number;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  /**
   * `'follow'` (default): redirects to another origin are followed, without your headers (but Accept
   * and User-Agent). `'same-origin'`: such a redirect is a `SOURCE_READ` error and is not requested.
   */
  redirects?: RedirectPolicy;
  /** A 2xx with an empty or whitespace-only body is an empty layer (default false: a `SOURCE_READ` error, the last good data stays). */
  allowEmpty?: boolean;
  /** Delays after failures (default: the kit's DEFAULT_BACKOFF, 200 ms doubling to 10 s, jittered). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** TLS: a private CA, and a client certificate and key. */
  tls?: TlsOptions;
  /** Replace `${NAME}` references with environment variables (default false: a remote document must not read the environment). */
  interpolate?: boolean;
  /** The environment for interpolation (default `process.env`). */
  environ?: Environ;
}

/** The HTTP source: watch, error hook and close always present. */
export interface HttpSource extends Source {
  watch(): Observable<ChangeSet>;
  close(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_WAIT_MS = 60_000;

/**
 * A config document over HTTP. Polls with `If-None-Match` / `If-Modified-Since` (a 304 is not a
 * change), or long-polls (`?wait=60000ms`, configurable). 401/403 are `PERMISSION`, 404 `NOT_FOUND`
 * (an empty layer with `optional: true`), other failures `SOURCE_READ` or `TIMEOUT`, retried with a
 * capped backoff while the last good data stays. Origins are `{ url, etag }` (with line and column
 * where the format gives them).
 *
 * @example
 * http({ url: 'https://config.internal/app.json', intervalMs: 10_000, headers: { authorization: `Bearer ${token}` } });
 * http({ url: 'http://127.0.0.1:8080/config.yaml', longPoll: { waitMs: 30_000 } });
 */
export function http(options: HttpOptions): HttpSource {
  return new HttpDocumentSource(options);
}

class HttpDocumentSource extends SourceBase implements HttpSource {
  private readonly client: HttpClient;
  private readonly fetcher: HttpFetcher;
  private readonly reads = new Set<AbortController>();
  private readonly intervalMs: number;
  private readonly longPoll:
    | (Required<Omit<HttpLongPollOptions, 'indexHeader'>> & { indexHeader?: string })
    | undefined;
  private readonly backoff: { initialMs: number; maxMs: number };
  /** What the loader has: the last document handed over (by a read or an emission). */
  private state: HttpDocumentState | undefined;

  constructor(options: HttpOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new ConfigError('INVALID_ARGUMENT', `http(): url ${JSON.stringify(options.url)} is not a URL`);
    }
    super(`http:${url.href}`, (origin) => describeHttpOrigin(origin));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(
        'INVALID_ARGUMENT',
        `http(): ${url.protocol} URLs are not supported (use http or https)`,
      );
    }
    if (options.format !== undefined) checkFormat(options.format, this.name);
    if (options.redirects !== undefined && !REDIRECT_POLICIES.includes(options.redirects)) {
      throw new ConfigError(
        'INVALID_ARGUMENT',
        `http(): redirects must be ${REDIRECT_POLICIES.map((p) => `'${p}'`).join(' or ')}, got ${JSON.stringify(options.redirects)}`,
      );
    }
    this.client = new HttpClient(options.tls ? { tls: options.tls } : {});
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    const longPoll = options.longPoll === true ? {} : options.longPoll || undefined;
    this.longPoll = longPoll && {
      waitParam: longPoll.waitParam ?? 'wait',
      waitMs: longPoll.waitMs ?? DEFAULT_WAIT_MS,
      formatWait: longPoll.formatWait ?? ((ms: number) => `${Math.round(ms)}ms`),
      indexParam: longPoll.indexParam ?? 'index',
      minIntervalMs: longPoll.minIntervalMs ?? 1000,
      ...(longPoll.indexHeader ? { indexHeader: longPoll.indexHeader } : {}),
    };
    this.backoff = {
      initialMs: options.backoff?.initialMs ?? DEFAULT_BACKOFF.initialMs,
      maxMs: options.backoff?.maxMs ?? DEFAULT_BACKOFF.maxMs,
    };
    this.fetcher = new HttpFetcher({
      name: this.name,
      url,
      client: this.client,
      headers: options.headers ?? {},
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxRedirects: options.maxRedirects ?? 5,
      redirects: options.redirects ?? 'follow',
      optional: options.optional ?? false,
      allowEmpty: options.allowEmpty ?? false,
      interpolate: options.interpolate ?? false,
      ...(options.format ? { format: options.format } : {}),
      ...(options.parser ? { parser: options.parser } : {}),
      ...(options.environ ? { environ: options.environ } : {}),
    });
  }

  /** Fetches the document now (conditionally when the loader already has it: a 304 returns that). */
  async read(signal?: AbortSignal): Promise<ChangeSet> {
    this.ensureOpen();
    const controller = new AbortController();
    this.reads.add(controller);
    try {
      const result = await this.fetcher.fetch({
        previous: this.state,
        signals: [signal, controller.signal],
        background: false,
      });
      this.state = result.state;
      return result.state.changeSet;
    } catch (error) {
      throw this.closed ? this.closedError(error) : error;
    } finally {
      this.reads.delete(controller);
    }
  }

  /** Polls (or long-polls) for changes; failures are reported through `onError` and retried. */
  watch(): Observable<ChangeSet> {
    const longPoll = this.longPoll;
    let index: string | undefined;
    return pollingWatch(
      {
        name: this.name,
        backoff: this.backoff,
        report: (error) => this.report(error),
        delayAfterSuccess: (elapsedMs) =>
          longPoll ? Math.max(0, longPoll.minIntervalMs - elapsedMs) : this.intervalMs,
        poll: async (signal) => {
          const wait = longPoll && {
            query: {
              [longPoll.waitParam]: longPoll.formatWait(longPoll.waitMs),
              ...(longPoll.indexHeader && index !== undefined ? { [longPoll.indexParam]: index } : {}),
            },
            extraMs: longPoll.waitMs + longPoll.waitMs / 16,
          };
          const result = await this.fetcher.fetch({
            previous: this.state,
            signals: [signal],
            background: true,
            ...(wait ? { wait } : {}),
          });
          if (longPoll?.indexHeader) index = result.header(longPoll.indexHeader) ?? index;
          const changed = result.state.changeSet.checksum !== this.state?.changeSet.checksum;
          this.state = result.state;
          return changed ? result.state.changeSet : undefined;
        },
      },
      { add: (complete) => this.trackWatch(complete) },
    );
  }

  protected release(): void {
    for (const controller of this.reads) controller.abort();
    this.client.destroy();
  }
}

/** `https://cfg/app.json:3:5 (ETag "abc")`. */
export function describeHttpOrigin(origin: Origin): string | undefined {
  const { url, etag, line, column } = origin as Record<string, unknown>;
  if (typeof url !== 'string') return undefined;
  const at = typeof line === 'number' ? `:${line}${typeof column === 'number' ? `:${column}` : ''}` : '';
  return `${url}${at}${typeof etag === 'string' ? ` (ETag ${etag})` : ''}`;
}
