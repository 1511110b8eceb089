/**
 * KV reads over Consul's HTTP API (`GET /v1/kv/<key>`), on the source kit's HTTP client: the index
 * header, cancellation, a deadline, a body size limit, TLS, strict checks of the answer, and sockets
 * that never keep the process alive. No Consul client library is loaded. Writes and sessions are in
 * writes.ts, the transport in transport.ts.
 */
import type { HttpResponse } from '../../source-kit/http-client.js';
import { type KvFailure, KvRequestError, kvPath, type RequestOptions } from './transport.js';
import { KvWriter } from './writes.js';

export { type KvFailure, KvRequestError } from './transport.js';
export type { WriteOptions } from './writes.js';

/** One KV entry, with `Value` decoded from base64 to text (`null` for folder keys and empty values). */
export interface KvEntry {
  Key: string;
  Value: string | null;
  Flags: number;
  LockIndex: number;
  CreateIndex: number;
  ModifyIndex: number;
}

/** One KV read. */
export interface KvQuery extends RequestOptions {
  /** The key, or the prefix when `recurse`. */
  key: string;
  recurse: boolean;
  /** Blocking: wait for an index greater than this (0 or absent = answer at once). */
  index?: number;
  /** Blocking: Go duration the server may hold the request (e.g. `300000ms`); `timeoutMs` must exceed wait + wait/16. */
  wait?: string;
}

/** The answer: the `X-Consul-Index` and the entries (none after a 404). */
export interface KvResult {
  index: number;
  entries: KvEntry[];
}

/** Strict base64 (Consul's encoding of `Value`): Node's decoder silently skips bad characters. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks and decodes a 200 answer: a JSON array of KV entries whose `Value` is base64 or null.
 * Anything else (an HTML page from a proxy, a JSON object) is a `body` failure, never an empty layer.
 */
export function decodeKvBody(response: Pick<HttpResponse, 'status' | 'headers' | 'body'>): KvEntry[] {
  const contentType =
    String(response.headers['content-type'] ?? 'no content type')
      .split(';')[0]
      ?.trim() ?? '';
  const fail = (problem: string): never => {
    throw { kind: 'body', status: response.status, contentType, problem } satisfies KvFailure;
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch {
    return fail('not JSON (expected a JSON array of KV entries; is a proxy answering instead of Consul?)');
  }
  if (!Array.isArray(parsed)) {
    return fail(`a JSON ${parsed === null ? 'null' : typeof parsed} instead of a JSON array of KV entries`);
  }
  return parsed.map((raw: unknown, position) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    if (typeof item.Key !== 'string') return fail(`entry ${position} has no Key`);
    const value = item.Value;
    if (value !== null && value !== undefined && typeof value !== 'string') {
      return fail(`the Value of key "${item.Key}" is not a base64 string`);
    }
    if (typeof value === 'string' && !BASE64.test(value)) {
      return fail(`the Value of key "${item.Key}" is not valid base64`);
    }
    return {
      Key: item.Key,
      Value: typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : null,
      Flags: Number(item.Flags ?? 0),
      LockIndex: Number(item.LockIndex ?? 0),
      CreateIndex: Number(item.CreateIndex ?? 0),
      ModifyIndex: Number(item.ModifyIndex ?? 0),
    };
  });
}
/** A KV reader and writer (and session client) bound to one Consul address. */
export class KvClient extends KvWriter {
  /** Reads a key or prefix; rejects with a {@link KvRequestError}. A 404 is an empty result, not an error. */
  async get(query: KvQuery): Promise<KvResult> {
    const params: Record<string, string> = {};
    if (query.recurse) params.recurse = 'true';
    if (query.index !== undefined) params.index = String(query.index);
    if (query.wait !== undefined) params.wait = query.wait;
    const response = await this.send('GET', kvPath(query.key), params, query);
    const header = Number(response.headers['x-consul-index'] ?? 0);
    const index = Number.isFinite(header) ? header : 0;
    if (response.status === 404) return { index, entries: [] };
    if (response.status !== 200) throw this.statusFailure(response);
    try {
      return { index, entries: decodeKvBody(response) };
    } catch (failure) {
      throw new KvRequestError(failure as KvFailure, this.address);
    }
  }
}
