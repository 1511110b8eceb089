/**
 * A custom livecfg source: a JSON document served over HTTP, polled with ETags.
 *
 * - `read(signal)` fetches the document (honouring the loader's AbortSignal and a timeout).
 * - `watch()` is a cold rxjs Observable that polls with `If-None-Match`: `304 Not Modified` is not a
 *   change and emits nothing; a `200` emits a new ChangeSet. Its timer is unref'd, so polling never
 *   keeps the process alive.
 * - A failed poll is not the end of the watch: it is reported through `onError` (the loader forwards
 *   it to `config.errors$`) and polling goes on.
 * - `close()` aborts requests in flight and stops every poll.
 */
import { createHash } from 'node:crypto';
import { Observable } from 'rxjs';
import { type ChangeSet, ConfigError, type OriginMap, type Source } from '../../src/index.js'; // in your project: from 'livecfg'

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
  const { url, intervalMs = 1000, timeoutMs = 5000 } = options;
  const name = `http:${url}`;
  const origins: OriginMap = { lookup: () => ({ url }) };
  const errorListeners = new Set<(error: ConfigError) => void>();
  const inFlight = new Set<AbortController>();
  const stops = new Set<() => void>();
  /** The ETag of the last document we handed out, for conditional polls. */
  let etag: string | undefined;
  let closed = false;

  /** One GET; `undefined` means 304 Not Modified. */
  async function fetchDocument(
    signal: AbortSignal | undefined,
    conditional: boolean,
  ): Promise<ChangeSet | undefined> {
    if (closed) throw new ConfigError('CLOSED', `${name}: the source is closed`, { source: name });
    const controller = new AbortController();
    inFlight.add(controller);
    const signals = [controller.signal, AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
      if (conditional && etag !== undefined) headers['if-none-match'] = etag;
      let response: Response;
      try {
        response = await fetch(url, { headers, signal: AbortSignal.any(signals) });
      } catch (error) {
        throw new ConfigError('SOURCE_READ', `${name}: ${(error as Error).message}`, {
          source: name,
          cause: error,
        });
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return undefined;
      }
      const text = await response.text();
      if (!response.ok) {
        throw new ConfigError('SOURCE_READ', `${name}: HTTP ${response.status} ${text.slice(0, 200)}`, {
          source: name,
        });
      }
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (error) {
        throw new ConfigError('PARSE', `${name}: ${(error as Error).message}`, {
          source: name,
          cause: error,
        });
      }
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new ConfigError('PARSE', `${name}: the document's top level must be an object`, {
          source: name,
        });
      }
      etag = response.headers.get('etag') ?? undefined;
      return {
        data: data as Record<string, unknown>,
        origins,
        checksum: createHash('sha256').update(text).digest('hex'),
        source: name,
        timestamp: new Date(),
      };
    } finally {
      inFlight.delete(controller);
    }
  }

  return {
    name,

    async read(signal) {
      // The loader's read must return data, so it is never conditional.
      return (await fetchDocument(signal, false)) as ChangeSet;
    },

    watch() {
      return new Observable<ChangeSet>((subscriber) => {
        let timer: NodeJS.Timeout | undefined;
        let stopped = false;
        const schedule = (): void => {
          timer = setTimeout(poll, intervalMs);
          timer.unref(); // polling never keeps the process alive
        };
        const poll = async (): Promise<void> => {
          try {
            const changeSet = await fetchDocument(undefined, true);
            if (changeSet && !stopped) subscriber.next(changeSet); // 304: not a change
          } catch (error) {
            if (stopped || closed) return;
            const configError =
              error instanceof ConfigError
                ? error
                : new ConfigError('SOURCE_READ', String(error), { source: name });
            for (const listener of errorListeners) listener(configError);
          }
          if (!stopped && !closed) schedule();
        };
        const stop = (): void => {
          stopped = true;
          clearTimeout(timer);
        };
        stops.add(stop);
        schedule();
        return () => {
          stop();
          stops.delete(stop);
        };
      });
    },

    onError(listener) {
      errorListeners.add(listener);
    },

    async close() {
      closed = true;
      for (const stop of stops) stop();
      for (const controller of inFlight) controller.abort();
    },
  };
}
