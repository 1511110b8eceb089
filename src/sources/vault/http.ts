/**
 * One HTTP request to Vault over the kit's {@link HttpClient} (deadline, abort, size limit, no
 * redirects followed, sockets that never keep the process alive for background requests), with
 * Vault's headers and JSON decoding. No retries here.
 */
import type { HttpClient } from '../../source-kit/http-client.js';
import type { VaultConnection } from './connection.js';

/** What Vault answered. `json` is set when the body is JSON. */
export interface VaultResponse {
  status: number;
  contentType: string;
  json: unknown;
  /** The body's size in bytes. */
  bytes: number;
  /** `Retry-After` in ms (429 rate limits), when sent as seconds. */
  retryAfterMs?: number;
}

/** How one request is made: its abort signal, and whether it runs in the background (a watch, a renewal). */
export interface VaultCall {
  signal?: AbortSignal | undefined;
  /** A background request never keeps the process alive; a foreground read (startup, `sync()`) does. */
  background?: boolean;
}

/** What to send. `path` is relative to `/v1/`. */
export interface VaultRequest extends VaultCall {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  token?: string | undefined;
  body?: unknown;
}

/** Sends one request; resolves with any HTTP status, rejects with the kit's `HttpRequestError`. */
export async function sendVault(
  http: HttpClient,
  connection: VaultConnection,
  request: VaultRequest,
): Promise<VaultResponse> {
  const headers: Record<string, string> = { 'X-Vault-Request': 'true' };
  if (request.token !== undefined) headers['X-Vault-Token'] = request.token;
  if (connection.namespace !== undefined) headers['X-Vault-Namespace'] = connection.namespace;
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await http.request(`${connection.address}/v1/${request.path}`, {
    method: request.method,
    headers,
    timeoutMs: connection.timeoutMs,
    signals: [request.signal],
    maxBodyBytes: connection.maxBodyBytes,
    background: request.background ?? false,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
  });
  const header = (name: string): string | undefined => {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  let json: unknown;
  if (response.body.byteLength > 0) {
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch {
      json = undefined;
    }
  }
  const retryAfter = Number(header('retry-after') ?? Number.NaN);
  return {
    status: response.status,
    contentType: header('content-type') ?? '',
    json,
    bytes: response.body.byteLength,
    ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  };
}

/** The `errors` of a Vault error body, joined, or a description of a body that is not Vault's JSON. */
export function describeBody(response: VaultResponse): string {
  const errors = (response.json as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors)) {
    const text = errors
      .map((entry) => String(entry).replace(/\s+/g, ' ').trim())
      .filter((entry) => entry !== '')
      .join('; ');
    return text === '' ? '' : `: ${text}`;
  }
  if (response.json === undefined && response.bytes > 0)
    return ` (a ${response.contentType || 'non-JSON'} body, not Vault's JSON)`;
  return '';
}
