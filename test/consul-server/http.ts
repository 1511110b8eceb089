/** Response writing as Consul's `agent/http.go` does it: JSON bodies, text/plain errors, query meta headers. */
import type { ServerResponse } from 'node:http';

/** The per-response context every writer needs. */
export interface ResponseContext {
  readonly res: ServerResponse;
  /** `X-Consul-Default-ACL-Policy`, sent on every response. */
  readonly defaultAclPolicy: 'allow' | 'deny';
}

function base(context: ResponseContext, status: number): ServerResponse {
  const { res } = context;
  res.statusCode = status;
  res.setHeader('X-Consul-Default-ACL-Policy', context.defaultAclPolicy);
  return res;
}

/**
 * Sets the blocking-query meta headers (`setMeta`): the index (0 becomes 1, so clients never
 * busy-loop), a known leader and a last contact of 0 ms.
 */
export function setQueryMeta(res: ServerResponse, index: number): void {
  res.setHeader('X-Consul-Index', String(index === 0 ? 1 : index));
  res.setHeader('X-Consul-KnownLeader', 'true');
  res.setHeader('X-Consul-LastContact', '0');
}

/** Writes a JSON body that is already serialised. */
export function sendJson(context: ResponseContext, status: number, json: string): void {
  const res = base(context, status);
  res.setHeader('Content-Type', 'application/json');
  res.end(json);
}

/** Writes an error as Consul does: a status and a text/plain body holding the message. */
export function sendError(context: ResponseContext, status: number, message: string): void {
  const res = base(context, status);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(message);
}

/** Writes a status with an empty body (a 404 on a missing key). */
export function sendEmpty(context: ResponseContext, status: number): void {
  const res = base(context, status);
  res.setHeader('Content-Length', '0');
  res.end();
}

/** Writes a `?raw` value with the headers Consul ≥ 1.9.5 sends (no content sniffing). */
export function sendRaw(context: ResponseContext, body: Buffer | null): void {
  const res = base(context, 200);
  res.setHeader('Content-Type', 'text/plain');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', 'sandbox');
  res.end(body ?? Buffer.alloc(0));
}

/** A 405 with the allowed methods, as `MethodNotAllowedError` writes it. */
export function sendMethodNotAllowed(
  context: ResponseContext,
  method: string,
  allow: readonly string[],
): void {
  context.res.setHeader('Allow', allow.join(','));
  sendError(context, 405, `method ${method} not allowed`);
}
