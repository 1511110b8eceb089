/**
 * One etcd watch over the JSON gateway: `POST /v3/watch` with a `create_request`, answered by a
 * streaming body of newline-delimited JSON (`{"result":{header, created?, canceled?, events?}}`; a PUT
 * event has no `type`, a DELETE has `"type":"DELETE"`). The stream ends on close(), on a cancel from
 * etcd (compaction, auth), on a broken connection, or when a liveness probe fails.
 */
import type { HttpClient } from '../../source-kit/http-client.js';
import type { HttpFailure } from '../../source-kit/http-failure.js';
import { type HttpStream, splitLines } from '../../source-kit/http-stream.js';
import { decodeText, encodeKey, type Int64, prefixEnd, type RawKeyValue } from './gateway-codec.js';
import { EtcdGatewayError, errorFromBody, reasonOf } from './gateway-errors.js';

/** What to watch, from which revision. */
export interface WatchRequest {
  key: string;
  /** Every key starting with `key`. */
  prefix?: boolean;
  /** Exclusive end key (wins over `prefix`). */
  rangeEnd?: string;
  /** First revision to report (default: changes after now). */
  startRevision?: Int64;
  /** Interval of the liveness probe in ms (default 10,000); `false`: none. */
  probeMs?: number | false;
}

/** A change to one key. A DELETE carries the key and its deletion revision only. */
export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  key: string;
  value: string;
  modRevision: string;
  createRevision: string;
  version: string;
}

/** Why a watch ended. */
export type WatchEnd =
  /** close() was called. */
  | { reason: 'closed' }
  /** The start revision was compacted: read afresh and watch from the read's revision. */
  | { reason: 'compacted'; compactRevision: string }
  /** etcd cancelled the watch; `permission` when it was for auth (the cached token is dropped). */
  | { reason: 'canceled'; message: string; permission: boolean }
  /** The connection failed, ended, or went silent (the probe failed). */
  | { reason: 'failed'; error: EtcdGatewayError };

/** Receivers of a watch's messages. */
export interface WatchHandlers {
  /** Events of one response, in revision order; `revision` is the response header's. */
  onEvents(events: WatchEvent[], revision: string): void;
  /** etcd confirmed the watch (at store revision `revision`). */
  onCreated?(revision: string): void;
}

/** A watch in progress. */
export interface EtcdWatch {
  /** Resolves once, when the watch is over. */
  readonly ended: Promise<WatchEnd>;
  /** Ends the watch at once (idempotent). */
  close(): void;
}

/** What a watch needs from its client. */
export interface WatchContext {
  http: HttpClient;
  endpoint(): string;
  token(): Promise<Record<string, string>>;
  invalidateToken(): void;
  /** A cheap read that fails when etcd is not reachable. */
  probe(key: string): Promise<void>;
  timeoutMs: number;
  closing: AbortSignal;
  maxLineBytes: number;
  error(failure: HttpFailure, url: string): EtcdGatewayError;
}

interface RawResponse {
  result?: {
    header?: { revision?: string };
    created?: boolean;
    canceled?: boolean;
    cancel_reason?: string;
    compact_revision?: string;
    events?: Array<{ type?: string; kv?: RawKeyValue }>;
  };
  error?: { message?: string; grpc_code?: number; http_code?: number };
}

function toEvent(raw: { type?: string; kv?: RawKeyValue }): WatchEvent {
  const kv = raw.kv ?? { key: '' };
  return {
    type: raw.type === 'DELETE' ? 'DELETE' : 'PUT',
    key: decodeText(kv.key),
    value: decodeText(kv.value),
    modRevision: kv.mod_revision ?? '0',
    createRevision: kv.create_revision ?? '0',
    version: kv.version ?? '0',
  };
}

/** Opens the watch; see {@link EtcdWatch}. */
export function openWatch(context: WatchContext, request: WatchRequest, handlers: WatchHandlers): EtcdWatch {
  let done = false;
  let stream: HttpStream | undefined;
  let probeTimer: NodeJS.Timeout | undefined;
  let resolveEnded!: (end: WatchEnd) => void;
  const ended = new Promise<WatchEnd>((resolve) => {
    resolveEnded = resolve;
  });
  const end = (result: WatchEnd) => {
    if (done) return;
    done = true;
    clearInterval(probeTimer);
    stream?.close();
    resolveEnded(result);
  };
  const fail = (reason: EtcdGatewayError['reason'], message: string) =>
    end({ reason: 'failed', error: new EtcdGatewayError(reason, message, {}) });

  const startProbe = () => {
    const every = request.probeMs ?? 10_000;
    if (every === false || probeTimer !== undefined) return;
    let probing = false;
    probeTimer = setInterval(() => {
      if (probing || done) return;
      probing = true;
      context.probe(request.key).then(
        () => {
          probing = false;
        },
        (error: unknown) => {
          probing = false;
          const reason = error instanceof EtcdGatewayError ? error.reason : 'status';
          if (reason === 'timeout' || reason === 'unreachable' || reason === 'tls') {
            end({ reason: 'failed', error: error as EtcdGatewayError });
          }
        },
      );
    }, every);
    probeTimer.unref();
  };

  const onLine = (line: string) => {
    if (done) return;
    let message: RawResponse;
    try {
      message = JSON.parse(line) as RawResponse;
    } catch {
      fail('status', `${context.endpoint()}/v3/watch: not JSON: ${line.slice(0, 100)}`);
      return;
    }
    const result = message.result;
    if (result === undefined) {
      const text = message.error?.message ?? line.slice(0, 300);
      end({
        reason: 'failed',
        error: new EtcdGatewayError(reasonOf(message.error?.grpc_code, text), `watch: ${text}`, {
          ...(message.error?.grpc_code === undefined ? {} : { grpcCode: message.error.grpc_code }),
        }),
      });
      return;
    }
    const revision = result.header?.revision ?? '0';
    if (result.canceled) {
      const compacted = result.compact_revision;
      if (compacted !== undefined && compacted !== '0') {
        end({ reason: 'compacted', compactRevision: compacted });
        return;
      }
      const text = result.cancel_reason ?? 'cancelled by etcd';
      const permission = reasonOf(undefined, text) === 'permission';
      if (permission) context.invalidateToken();
      end({ reason: 'canceled', message: text, permission });
      return;
    }
    if (result.created) {
      startProbe();
      handlers.onCreated?.(revision);
    }
    if (result.events && result.events.length > 0) handlers.onEvents(result.events.map(toEvent), revision);
  };

  const open = async () => {
    let headers: Record<string, string>;
    try {
      headers = await context.token();
    } catch (error) {
      end({
        reason: 'failed',
        error:
          error instanceof EtcdGatewayError
            ? error
            : new EtcdGatewayError('status', String(error), { cause: error }),
      });
      return;
    }
    if (done) return;
    const rangeEnd =
      request.rangeEnd !== undefined
        ? encodeKey(request.rangeEnd)
        : request.prefix
          ? prefixEnd(request.key)
          : undefined;
    const body = JSON.stringify({
      create_request: {
        key: encodeKey(request.key),
        ...(rangeEnd === undefined ? {} : { range_end: rangeEnd }),
        ...(request.startRevision === undefined ? {} : { start_revision: String(request.startRevision) }),
      },
    });
    const url = `${context.endpoint()}/v3/watch`;
    const onChunk = splitLines(onLine, {
      maxLineBytes: context.maxLineBytes,
      onOverflow: () => fail('too-large', `${url}: a watch response exceeded ${context.maxLineBytes} bytes`),
    });
    const opened = context.http.stream(
      url,
      {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
        timeoutMs: context.timeoutMs,
        background: true,
        signals: [context.closing],
      },
      onChunk,
    );
    stream = opened;
    opened.head.then(
      (head) => {
        if (head.status < 200 || head.status > 299) {
          end({
            reason: 'failed',
            error: errorFromBody(head.status, head.body?.toString('utf8') ?? '', url),
          });
        }
      },
      () => undefined, // `ended` reports it
    );
    const failure = await opened.ended;
    if (failure) end({ reason: 'failed', error: context.error(failure, url) });
    else fail('unreachable', `${url}: etcd ended the watch stream`);
  };
  void open();
  return { ended, close: () => end({ reason: 'closed' }) };
}
