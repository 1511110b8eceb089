/**
 * A custom livecfg source written with `livecfg/source-kit`: a JSON document served over HTTP,
 * polled with ETags. (livecfg ships a complete `http()` source; this one shows how little a source
 * needs when it is built from the kit.)
 *
 * - `SourceBase` gives the name, `onError`, an idempotent `close()` and `CLOSED` errors.
 * - `HttpClient` gives deadlines, abort signals, a body size limit and sockets that never keep the
 *   process alive while polling.
 * - `decodeKeyDocument` parses the text with livecfg's rules (empty = empty layer, `PARSE` errors
 *   with line and column, origins stamped with `{ url, etag }`, a checksum of the data).
 * - `pollingWatch` polls on an interval, reports each distinct failure once through `onError` (the
 *   loader forwards it to `config.errors$`), backs off with jitter, and stops on close.
 */

import type { Observable } from '../../src/rx/index.js'; // in your project: from 'rxjs'
import {
  type ChangeSet,
  ConfigError,
  DEFAULT_BACKOFF,
  decodeKeyDocument,
  HttpClient,
  HttpRequestError,
  type Origin,
  pollingWatch,
  type Source,
  SourceBase,
} from '../../src/source-kit/index.js'; // in your project: from 'livecfg/source-kit'

export interface HttpJsonOptions {
  /** The document's URL; its top level must be a JSON object. */
  url: string;
  /** Time between polls (default 1000 ms). */
  intervalMs?: number;
  /** Deadline of each request (default 5000 ms). */
  timeoutMs?: number;
  /** Extra request headers (e.g. authorization). */
  headers?: Record<string, string>;
}

export interface HttpJsonSource extends Source {
  watch(): Observable<ChangeSet>;
  close(): Promise<void>;
}

export function httpJson(options: HttpJsonOptions): HttpJsonSource {
  return new HttpJson(options);
}

class HttpJson extends SourceBase implements HttpJsonSource {
  private readonly client = new HttpClient();
  /** The ETag and data the loader has: a 304 means "still this". */
  private current: { etag?: string; changeSet: ChangeSet } | undefined;

  constructor(private readonly options: HttpJsonOptions) {
    super(`http:${options.url}`, (origin: Origin) => `${String((origin as { url?: string }).url)}`);
  }

  async read(signal?: AbortSignal): Promise<ChangeSet> {
    this.ensureOpen();
    return (await this.fetch(signal, false)).changeSet;
  }

  watch(): Observable<ChangeSet> {
    return pollingWatch(
      {
        name: this.name,
        backoff: DEFAULT_BACKOFF,
        report: (error) => this.report(error),
        delayAfterSuccess: () => this.options.intervalMs ?? 1000,
        poll: async (signal) => {
          const before = this.current?.changeSet.checksum;
          const { changeSet } = await this.fetch(signal, true);
          return changeSet.checksum === before ? undefined : changeSet; // 304 or same data: no change
        },
      },
      { add: (complete) => this.trackWatch(complete) }, // close() ends the loop
    );
  }

  protected release(): void {
    this.client.destroy();
  }

  /** One GET (conditional when `background`, i.e. a poll); a 304 returns what the loader has. */
  private async fetch(signal: AbortSignal | undefined, background: boolean) {
    const { url } = this.options;
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    if (background && this.current?.etag) headers['if-none-match'] = this.current.etag;
    let response: Awaited<ReturnType<HttpClient['get']>>;
    try {
      response = await this.client.get(url, {
        headers,
        timeoutMs: this.options.timeoutMs ?? 5000,
        signals: [signal],
        background,
      });
    } catch (error) {
      const reason = error instanceof HttpRequestError ? error.message : String(error);
      throw new ConfigError('SOURCE_READ', `${this.name}: ${reason}`, { source: this.name, cause: error });
    }
    if (response.status === 304 && this.current) return this.current;
    if (response.status !== 200) {
      throw new ConfigError('SOURCE_READ', `${this.name}: HTTP ${response.status}`, { source: this.name });
    }
    const etag = typeof response.headers.etag === 'string' ? response.headers.etag : undefined;
    const decoded = await decodeKeyDocument(
      {
        source: this.name,
        key: url,
        text: response.body.toString('utf8'),
        origin: { url, ...(etag ? { etag } : {}) },
        what: 'document',
      },
      { format: 'json', optional: false, interpolate: false },
    );
    this.current = {
      ...(etag ? { etag } : {}),
      changeSet: { ...decoded, source: this.name, timestamp: new Date() },
    };
    return this.current;
  }
}
