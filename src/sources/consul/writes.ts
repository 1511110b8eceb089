/**
 * KV writes and sessions over Consul's HTTP API: `PUT`/`DELETE /v1/kv/<key>` with `cas`, `acquire`
 * and `release`, and TTL sessions (create, renew, destroy). The fleet's Consul store writes with them.
 */
import { KvRequestError, KvTransport, kvPath, type RequestOptions } from './transport.js';

/** Common settings of a write (KV `PUT`/`DELETE`, session calls). */
export type WriteOptions = RequestOptions;

/** A KV `PUT`: at most one of `cas`, `acquire`, `release` (Consul answers 400 otherwise). */
export interface PutOptions extends WriteOptions {
  /** Check-and-set: 0 = create only; N = only if the key's ModifyIndex is N. */
  cas?: number;
  /** Write only if this session can take (or holds) the key's lock; the key then lives with the session. */
  acquire?: string;
  /** Write and release the lock this session holds. */
  release?: string;
}

/** `PUT /v1/session/create` (TTL as a Go duration; `behavior: 'delete'` deletes held keys on invalidation). */
export interface SessionOptions extends WriteOptions {
  name: string;
  ttl: string;
  behavior: 'release' | 'delete';
  lockDelay: string;
}
/** The writes and session calls of a {@link KvClient}. */
export class KvWriter extends KvTransport {
  /** `PUT /v1/kv/<key>`: resolves to Consul's `true`/`false` (false: the cas or lock was refused). */
  async put(key: string, value: string, options: PutOptions): Promise<boolean> {
    const params: Record<string, string> = {};
    if (options.cas !== undefined) params.cas = String(options.cas);
    if (options.acquire !== undefined) params.acquire = options.acquire;
    if (options.release !== undefined) params.release = options.release;
    return (await this.call('PUT', kvPath(key), params, options, value)) === true;
  }

  /** `DELETE /v1/kv/<key>`, with `cas` when given: resolves to Consul's `true`/`false`. */
  async delete(key: string, options: WriteOptions & { cas?: number }): Promise<boolean> {
    const params: Record<string, string> = options.cas === undefined ? {} : { cas: String(options.cas) };
    return (await this.call('DELETE', kvPath(key), params, options)) === true;
  }

  /** `PUT /v1/session/create` with no health checks (TTL only); resolves to the session ID. */
  async createSession(options: SessionOptions): Promise<string> {
    const body = JSON.stringify({
      Name: options.name,
      TTL: options.ttl,
      Behavior: options.behavior,
      LockDelay: options.lockDelay,
      NodeChecks: [],
      Checks: [],
    });
    const answer = (await this.call('PUT', '/v1/session/create', {}, options, body)) as { ID?: unknown };
    if (typeof answer?.ID !== 'string') {
      throw new KvRequestError(
        { kind: 'body', status: 200, contentType: 'application/json', problem: 'no session ID' },
        this.address,
      );
    }
    return answer.ID;
  }

  /** `PUT /v1/session/renew/<id>`: false when the session is gone (404: create a new one). */
  async renewSession(id: string, options: WriteOptions): Promise<boolean> {
    try {
      await this.call('PUT', `/v1/session/renew/${encodeURIComponent(id)}`, {}, options);
      return true;
    } catch (error) {
      const failure = error instanceof KvRequestError ? error.failure : undefined;
      if (failure?.kind === 'status' && failure.status === 404) return false;
      throw error;
    }
  }

  /** `PUT /v1/session/destroy/<id>`: the keys it holds are released or deleted by its behavior. */
  async destroySession(id: string, options: WriteOptions): Promise<void> {
    await this.call('PUT', `/v1/session/destroy/${encodeURIComponent(id)}`, {}, options);
  }
  /** One non-blocking call; resolves to the parsed JSON answer; a non-200 is a `status` failure. */
  private async call(
    method: 'PUT' | 'DELETE',
    path: string,
    params: Record<string, string>,
    options: WriteOptions,
    body?: string,
  ): Promise<unknown> {
    const response = await this.send(method, path, params, options, body);
    if (response.status !== 200) throw this.statusFailure(response);
    try {
      return JSON.parse(response.body.toString('utf8')) as unknown;
    } catch {
      const contentType = String(response.headers['content-type'] ?? 'no content type');
      throw new KvRequestError({ kind: 'body', status: 200, contentType, problem: 'not JSON' }, this.address);
    }
  }
}
