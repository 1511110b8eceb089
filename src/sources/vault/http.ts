/** One HTTP request to Vault with global fetch: timeout, abort, size limit, JSON decoding. No retries here. */
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

/** A request that got no HTTP answer. */
export class VaultTransportError extends Error {
  override readonly name = 'VaultTransportError';
  constructor(
    readonly kind: 'network' | 'timeout' | 'aborted' | 'too-large',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What to send. `path` is relative to `/v1/`. */
export interface VaultRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  token?: string | undefined;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit)
    throw new VaultTransportError('too-large', `the answer is ${declared} bytes (limit ${limit})`);
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) throw new VaultTransportError('too-large', `the answer exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Sends one request; resolves with any HTTP status, rejects with {@link VaultTransportError}. */
export async function sendVault(connection: VaultConnection, request: VaultRequest): Promise<VaultResponse> {
  const headers: Record<string, string> = { 'X-Vault-Request': 'true' };
  if (request.token !== undefined) headers['X-Vault-Token'] = request.token;
  if (connection.namespace !== undefined) headers['X-Vault-Namespace'] = connection.namespace;
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  const timeout = AbortSignal.timeout(connection.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  try {
    const response = await fetch(`${connection.address}/v1/${request.path}`, {
      method: request.method,
      headers,
      signal,
      redirect: 'manual',
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    const body = await readLimited(response, connection.maxBodyBytes);
    const contentType = response.headers.get('content-type') ?? '';
    let json: unknown;
    if (body.byteLength > 0) {
      try {
        json = JSON.parse(Buffer.from(body).toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    return {
      status: response.status,
      contentType,
      json,
      bytes: body.byteLength,
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  } catch (error) {
    if (error instanceof VaultTransportError) throw error;
    if (request.signal?.aborted)
      throw new VaultTransportError('aborted', 'the request was aborted', { cause: error });
    if (timeout.aborted) {
      throw new VaultTransportError('timeout', `no answer within ${connection.timeoutMs} ms`, {
        cause: error,
      });
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    throw new VaultTransportError('network', detail, { cause: error });
  }
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
