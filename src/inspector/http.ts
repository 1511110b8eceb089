/** Small HTTP helpers of the inspector: JSON and error answers, ETags, the mount prefix. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';

/** Headers every inspector answer carries. */
export const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Sends a body (nothing for HEAD) with its length. */
export function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string>,
): void {
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.length),
    ...headers,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Sends JSON that is already serialised. */
export function sendJson(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  json: string | Buffer,
  headers: Record<string, string> = {},
): void {
  send(request, response, status, json, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
}

/** Sends `{ "error": { "code", "message" } }`. */
export function sendError(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(request, response, status, JSON.stringify({ error: { code, message } }), headers);
}

/** Whether an `If-None-Match` header matches `etag` (lists, weak tags and `*` included). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed === etag || trimmed === `W/${etag}`;
  });
}

/**
 * Where the handler is mounted, as seen by the browser: `/config/` under `app.use('/config', …)`
 * (express and connect keep the full URL in `originalUrl`), `/` when served directly.
 */
export function mountBase(request: IncomingMessage): string {
  const original = (request as IncomingMessage & { originalUrl?: string }).originalUrl;
  const local = pathOf(request.url ?? '/');
  if (typeof original !== 'string') return '/';
  const full = pathOf(original);
  let prefix = full.endsWith(local) ? full.slice(0, full.length - local.length) : full;
  if (local === '/' && !full.endsWith('/')) prefix = full;
  // Never `//host/…`: the page would read that as another host.
  prefix = prefix.replace(/\/+$/, '').replace(/^\/+/, '/');
  return `${prefix}/`;
}

function pathOf(url: string): string {
  const query = url.search(/[?#]/);
  return query === -1 ? url : url.slice(0, query);
}

/** Bodies smaller than this are sent as they are (compression would not pay). */
const COMPRESS_FROM = 1024;

/** The encoding to answer with for an `Accept-Encoding` header: `br`, then `gzip`, else none. */
export function chooseEncoding(header: string | string[] | undefined): 'br' | 'gzip' | undefined {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const accepted = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const ok = (name: string): boolean => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

/** Compresses `body` for `encoding` (brotli at a fast quality: the bodies are made once per version). */
export function compress(body: Buffer, encoding: 'br' | 'gzip'): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(body, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: 5,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzipSync(body, { level: 6 });
}

/**
 * Sends JSON compressed by the request's `Accept-Encoding` (when large enough). `cache` keeps the
 * compressed copies of a body that is sent again (the per-version config body).
 */
export function sendJsonEncoded(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  json: string | Buffer,
  headers: Record<string, string> = {},
  cache?: Map<string, Buffer>,
): void {
  const body = typeof json === 'string' ? Buffer.from(json) : json;
  const encoding =
    body.length >= COMPRESS_FROM ? chooseEncoding(request.headers['accept-encoding']) : undefined;
  if (!encoding) {
    sendJson(request, response, status, body, { vary: 'accept-encoding', ...headers });
    return;
  }
  let encoded = cache?.get(encoding);
  if (!encoded) {
    encoded = compress(body, encoding);
    cache?.set(encoding, encoded);
  }
  sendJson(request, response, status, encoded, {
    vary: 'accept-encoding',
    'content-encoding': encoding,
    ...headers,
  });
}
