/** One conditional GET of the HTTP source, and what its answer means: a document, no change, or an error. */
import type { ChangeSet, Parser } from '../../reader/contract.js';
import { ConfigError } from '../../reader/errors.js';
import { type Environ, type Format, formatFromPath } from '../../reader/formats/index.js';
import {
  describeHttpFailure,
  type HttpClient,
  HttpRequestError,
  type HttpResponse,
  isTlsFailure,
} from '../../source-kit/http-client.js';
import { decodeKeyDocument } from '../../source-kit/key-document.js';
import type { RedirectPolicy } from '../../source-kit/redirect-headers.js';

/** The document the loader has, with the validators to ask the server whether it changed. */
export interface HttpDocumentState {
  changeSet: ChangeSet;
  etag?: string;
  lastModified?: string;
}

/** Settings of a fetcher (one per source). */
export interface HttpFetcherOptions {
  name: string;
  url: URL;
  client: HttpClient;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  redirects: RedirectPolicy;
  optional: boolean;
  /** A 2xx with an empty (or whitespace-only) body is an empty layer instead of an error. */
  allowEmpty: boolean;
  interpolate: boolean;
  format?: Format;
  parser?: Parser;
  environ?: Environ;
}

/** One fetch. */
export interface FetchRequest {
  /** The state the loader has: sent as If-None-Match / If-Modified-Since; a 304 returns it. */
  previous: HttpDocumentState | undefined;
  signals: readonly (AbortSignal | undefined)[];
  background: boolean;
  /** Long poll: query parameters asking the server to hold the request, and how much longer to wait. */
  wait?: { query: Record<string, string>; extraMs: number };
}

/** The new state, and the response headers (for a long poll's index). */
export interface FetchResult {
  state: HttpDocumentState;
  header(name: string): string | undefined;
}

const ACCEPT =
  'application/json, application/yaml;q=0.9, application/toml;q=0.9, text/plain;q=0.5, */*;q=0.1';

/** The built-in format a Content-Type names, if any. */
export function formatFromContentType(contentType: string | undefined): Format | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (/^(application|text)\/(x-)?yaml$/.test(type)) return 'yaml';
  if (/^(application|text)\/(x-)?toml$/.test(type)) return 'toml';
  return undefined;
}

/** Fetches and decodes the HTTP source's document. */
export class HttpFetcher {
  constructor(private readonly options: HttpFetcherOptions) {}

  /** GETs the document; rejects with a ConfigError (`PERMISSION`, `NOT_FOUND`, `TIMEOUT`, `SOURCE_READ`, `PARSE`). */
  async fetch(request: FetchRequest): Promise<FetchResult> {
    const { options } = this;
    const url = new URL(options.url);
    for (const [key, value] of Object.entries(request.wait?.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { accept: ACCEPT, ...options.headers };
    const { previous } = request;
    if (previous?.etag !== undefined) headers['if-none-match'] = previous.etag;
    if (previous?.lastModified !== undefined) headers['if-modified-since'] = previous.lastModified;
    let response: HttpResponse;
    try {
      response = await options.client.get(url, {
        headers,
        timeoutMs: options.timeoutMs + (request.wait?.extraMs ?? 0),
        signals: request.signals,
        maxBodyBytes: options.maxBodyBytes,
        maxRedirects: options.maxRedirects,
        redirects: options.redirects,
        background: request.background,
      });
    } catch (error) {
      throw this.requestError(error);
    }
    const header = (name: string) => {
      const value = response.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    return { state: await this.interpret(response, previous, header), header };
  }

  private async interpret(
    response: HttpResponse,
    previous: HttpDocumentState | undefined,
    header: (name: string) => string | undefined,
  ): Promise<HttpDocumentState> {
    const { name, url } = this.options;
    const { status } = response;
    if (status === 304 && previous !== undefined) return previous;
    if (status === 401 || status === 403) {
      throw new ConfigError(
        'PERMISSION',
        `${name}: ${url.href} answered HTTP ${status}: not allowed; check the credentials in the headers option`,
        { source: name },
      );
    }
    if (status === 404 || status === 410) {
      if (!this.options.optional) {
        throw new ConfigError(
          'NOT_FOUND',
          `${name}: ${url.href} answered HTTP ${status} (pass { optional: true } if it may be absent)`,
          { source: name },
        );
      }
      return { changeSet: await this.decode(null, undefined, header) };
    }
    if (status >= 300 && status < 400) this.refusedRedirect(response, header('location'));
    if (status < 200 || status >= 300) {
      throw new ConfigError(
        'SOURCE_READ',
        `${name}: ${url.href} answered HTTP ${status}; the last good data is kept`,
        {
          source: name,
        },
      );
    }
    const text = response.body.toString('utf8');
    if (text.trim() === '' && !this.options.allowEmpty) {
      throw new ConfigError(
        'SOURCE_READ',
        `${name}: ${url.href} answered HTTP ${status} with an empty body; the last good data is kept ` +
          '(pass { allowEmpty: true } if an empty document means an empty layer)',
        { source: name },
      );
    }
    const etag = header('etag');
    const lastModified = header('last-modified');
    return {
      changeSet: await this.decode(text, etag, header),
      ...(etag === undefined ? {} : { etag }),
      ...(lastModified === undefined ? {} : { lastModified }),
    };
  }

  /** A redirect to another origin that `redirects: 'same-origin'` did not follow: a clear error. */
  private refusedRedirect(response: HttpResponse, location: string | undefined): void {
    if (this.options.redirects !== 'same-origin' || location === undefined) return;
    let target: URL;
    try {
      target = new URL(location, response.url);
    } catch {
      return;
    }
    const from = new URL(response.url);
    if (target.origin === from.origin) return;
    const { name } = this.options;
    throw new ConfigError(
      'SOURCE_READ',
      `${name}: ${from.href} redirected to another origin (${target.origin}); not followed because of ` +
        "redirects: 'same-origin' (the last good data is kept)",
      { source: name },
    );
  }

  private async decode(
    text: string | null,
    etag: string | undefined,
    header: (name: string) => string | undefined,
  ): Promise<ChangeSet> {
    const { name, url, parser, environ } = this.options;
    const format =
      this.options.format ?? formatFromContentType(header('content-type')) ?? formatFromPath(url.pathname);
    const decoded = await decodeKeyDocument(
      {
        source: name,
        key: url.href,
        text,
        origin: etag === undefined ? { url: url.href } : { url: url.href, etag },
        what: 'document',
      },
      {
        format,
        ...(parser ? { parser } : {}),
        optional: true,
        interpolate: this.options.interpolate,
        ...(environ ? { environ } : {}),
      },
    );
    return { ...decoded, source: name, timestamp: new Date() };
  }

  private requestError(error: unknown): ConfigError {
    const { name, url } = this.options;
    if (!(error instanceof HttpRequestError)) {
      return new ConfigError('SOURCE_READ', `${name}: ${String(error)}`, { source: name, cause: error });
    }
    const { failure } = error;
    const details = { source: name, cause: error };
    if (failure.kind === 'timeout' || failure.kind === 'aborted') {
      return new ConfigError('TIMEOUT', `${name}: ${url.href}: ${describeHttpFailure(failure)}`, details);
    }
    if (isTlsFailure(failure)) {
      return new ConfigError(
        'SOURCE_READ',
        `${name}: TLS with ${url.origin} failed (${describeHttpFailure(failure)}); check the tls option (ca, cert, key)`,
        details,
      );
    }
    return new ConfigError('SOURCE_READ', `${name}: ${url.href}: ${describeHttpFailure(failure)}`, details);
  }
}
