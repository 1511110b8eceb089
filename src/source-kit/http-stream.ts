/**
 * Streaming HTTP responses for the source kit's {@link HttpClient.stream}: a long-lived request whose
 * body arrives in chunks (etcd's `/v3/watch`, server-sent lines), a deadline on the response head
 * only, abort signals, TCP keep-alive probes on the socket, and {@link splitLines} for
 * newline-delimited bodies with a bound on each line.
 */
import type http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type https from 'node:https';
import { type HttpFailure, HttpRequestError } from './http-failure.js';

/** Options of a streaming request. */
export interface HttpStreamOptions {
  /** Default `GET`. */
  method?: 'GET' | 'POST';
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Deadline of the response head (the body then streams for as long as it lasts). */
  timeoutMs: number;
  /** Unref the socket: the stream must not keep the process alive. */
  background: boolean;
  /** Any of these aborting ends the stream at once. */
  signals?: readonly (AbortSignal | undefined)[];
  /** TCP keep-alive probes after this idle time in ms (default 10,000), to notice a dead peer. */
  keepAliveMs?: number;
  /** Largest error body kept for a non-2xx status (default 64 KiB; the rest is dropped). */
  maxErrorBodyBytes?: number;
}

/** The head of a streaming response. For a non-2xx status, `body` holds the (bounded) error body. */
export interface HttpStreamHead {
  status: number;
  headers: IncomingHttpHeaders;
  body?: Buffer;
}

/**
 * A streaming response in progress. `head` resolves when the head arrives (for a non-2xx status,
 * after the error body) and rejects with an {@link HttpRequestError} when no head arrives. `ended`
 * always resolves: with `undefined` when the server ended the body or `close()` was called, else
 * with the failure that cut it.
 */
export interface HttpStream {
  readonly head: Promise<HttpStreamHead>;
  readonly ended: Promise<HttpFailure | undefined>;
  /** Ends the request at once (idempotent). */
  close(): void;
}

/** A stream that failed before it started. */
export function failedStream(failure: HttpFailure, href: string): HttpStream {
  const head = Promise.reject(new HttpRequestError(failure, href));
  head.catch(() => undefined);
  return { head, ended: Promise.resolve(failure), close: () => undefined };
}

/** Opens a streaming request on `agent` (the client's agent for the protocol and background mode). */
export function openStream(
  url: URL,
  options: HttpStreamOptions,
  onChunk: (chunk: Buffer) => void,
  agent: http.Agent,
): HttpStream {
  const href = url.href;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return failedStream({ kind: 'network', message: `unsupported protocol ${url.protocol}` }, href);
  }
  const signals = (options.signals ?? []).filter((signal): signal is AbortSignal => signal !== undefined);
  const aborted = signals.find((signal) => signal.aborted);
  if (aborted) return failedStream({ kind: 'aborted', reason: aborted.reason }, href);

  let resolveHead!: (head: HttpStreamHead) => void;
  let rejectHead!: (error: HttpRequestError) => void;
  const head = new Promise<HttpStreamHead>((resolve, reject) => {
    resolveHead = resolve;
    rejectHead = reject;
  });
  head.catch(() => undefined);
  let resolveEnded!: (failure: HttpFailure | undefined) => void;
  const ended = new Promise<HttpFailure | undefined>((resolve) => {
    resolveEnded = resolve;
  });

  let headSettled = false;
  let done = false;
  const cleanups: Array<() => void> = [];
  const finish = (failure: HttpFailure | undefined) => {
    if (done) return;
    done = true;
    for (const cleanup of cleanups) cleanup();
    request.destroy();
    if (!headSettled) {
      headSettled = true;
      rejectHead(new HttpRequestError(failure ?? { kind: 'aborted', reason: 'closed' }, href));
    }
    resolveEnded(failure);
  };

  const body = options.body;
  const headers = { ...options.headers };
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  // Loaded on the first stream, like the client's requests: importing the kit does not load them.
  const transport: typeof http | typeof https =
    url.protocol === 'https:'
      ? process.getBuiltinModule('node:https')
      : process.getBuiltinModule('node:http');
  const request = transport.request(url, { method: options.method ?? 'GET', headers, agent });
  request.on('socket', (socket) => socket.setKeepAlive(true, options.keepAliveMs ?? 10_000));

  const timer = setTimeout(
    () => finish({ kind: 'timeout', timeoutMs: options.timeoutMs }),
    options.timeoutMs,
  );
  timer.unref();
  cleanups.push(() => clearTimeout(timer));
  for (const signal of signals) {
    const onAbort = () => finish({ kind: 'aborted', reason: signal.reason });
    signal.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', onAbort));
  }
  request.on('error', (error: NodeJS.ErrnoException) => {
    const failure: HttpFailure = { kind: 'network', message: error.message };
    if (error.code !== undefined) failure.code = error.code;
    finish(failure);
  });
  request.on('response', (response) => {
    clearTimeout(timer);
    const status = response.statusCode ?? 0;
    response.on('error', (error) => finish({ kind: 'network', message: error.message }));
    if (status < 200 || status > 299) {
      const limit = options.maxErrorBodyBytes ?? 64 * 1024;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < limit) chunks.push(chunk.subarray(0, limit - size));
        size += chunk.length;
      });
      response.on('end', () => {
        headSettled = true;
        resolveHead({ status, headers: response.headers, body: Buffer.concat(chunks) });
        finish(undefined);
      });
      return;
    }
    headSettled = true;
    resolveHead({ status, headers: response.headers });
    response.on('data', (chunk: Buffer) => {
      if (!done) onChunk(chunk);
    });
    response.on('end', () => finish(undefined));
    // A connection cut mid-body ends without 'end': report it as a network failure.
    response.on('close', () => {
      if (!response.complete) finish({ kind: 'network', message: 'connection closed mid-stream' });
    });
  });
  request.end(body);
  return { head, ended, close: () => finish(undefined) };
}

/**
 * Splits a chunked body into lines (`\n`, a trailing `\r` removed; empty lines skipped) and hands
 * each to `onLine`. A line longer than `maxLineBytes` calls `onOverflow` and is dropped.
 */
export function splitLines(
  onLine: (line: string) => void,
  options: { maxLineBytes: number; onOverflow: () => void },
): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  let pendingSize = 0;
  let overflowed = false;
  return (chunk) => {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, newline);
      start = newline + 1;
      if (overflowed || pendingSize + part.length > options.maxLineBytes) {
        if (!overflowed) options.onOverflow();
        overflowed = false;
        pending = [];
        pendingSize = 0;
        continue;
      }
      const line = (pending.length === 0 ? part : Buffer.concat([...pending, part])).toString('utf8');
      pending = [];
      pendingSize = 0;
      const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (trimmed.trim() !== '') onLine(trimmed);
    }
    if (start < chunk.length && !overflowed) {
      const rest = chunk.subarray(start);
      if (pendingSize + rest.length > options.maxLineBytes) {
        overflowed = true;
        options.onOverflow();
        pending = [];
        pendingSize = 0;
      } else {
        // Copied: the chunk's buffer is not kept alive by a partial line.
        pending.push(Buffer.from(rest));
        pendingSize += rest.length;
      }
    }
  };
}
