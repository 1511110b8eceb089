/** A small Vault client: the token, the namespace, one re-login after a 403 with AppRole, KV v2 reads. */
import type { ConfigError } from '../../reader/errors.js';
import { HttpClient } from '../../source-kit/http-client.js';
import { TokenSource } from './auth.js';
import type { VaultConnection } from './connection.js';
import { type FailureContext, shapeError, statusError, transportError } from './errors.js';
import { sendVault, type VaultCall, type VaultResponse } from './http.js';
import { encodePath } from './paths.js';

/** The state of one KV v2 secret's current version, as far as change detection needs it. */
export type KvState = 'live' | 'deleted' | 'destroyed' | 'absent';

/** A read of `data/{path}`. */
export type KvSecret =
  | { state: 'live'; version: number; data: Record<string, unknown> }
  | { state: 'deleted' | 'destroyed'; version: number; deletionTime: string }
  | { state: 'absent' };

/** A read of `metadata/{path}`: what identifies the current version's content. */
export interface KvFingerprint {
  state: KvState;
  version: number;
}

/** Answers that count as "got an answer" for a KV read (the rest are errors). */
const KV_ANSWERS = new Set([200, 404]);

/** The fingerprint of a secret read: equal fingerprints mean the data need not be read again. */
export function fingerprintOf(secret: KvSecret): string {
  return secret.state === 'absent' ? 'absent' : `${secret.version}:${secret.state}`;
}

/** Whether a version is deleted now: a `deletion_time` in the past (a future one is still readable). */
function deletedNow(deletionTime: unknown, now: number): boolean {
  if (typeof deletionTime !== 'string' || deletionTime === '') return false;
  const at = Date.parse(deletionTime);
  return Number.isFinite(at) && at <= now;
}

/** Talks to one Vault. */
export class VaultClient {
  readonly tokens: TokenSource;
  private readonly http = new HttpClient();

  constructor(
    readonly connection: VaultConnection,
    private readonly name: string,
    onError?: (error: ConfigError) => void,
  ) {
    this.tokens = new TokenSource(this.http, connection, name, onError);
  }

  /** GET `path` with the token; after a 403 with AppRole, logs in again once and retries. */
  async get(path: string, call: VaultCall = {}): Promise<VaultResponse> {
    const context = this.context(path);
    const urlPath = encodePath(path);
    const attempt = async (): Promise<[VaultResponse, string | undefined]> => {
      const token = await this.tokens.token(call);
      try {
        const request = { ...call, method: 'GET', path: urlPath, token } as const;
        return [await sendVault(this.http, this.connection, request), token];
      } catch (error) {
        throw transportError(context, error);
      }
    };
    let [response, token] = await attempt();
    if (response.status === 403 && this.tokens.canRelogin) {
      this.tokens.invalidate(token);
      [response, token] = await attempt();
    }
    return response;
  }

  /** Reads `{mount}/data/{path}`: a value, a deleted or destroyed current version, or nothing. */
  async readSecret(mount: string, path: string, call: VaultCall = {}): Promise<KvSecret> {
    const what = `${mount}/data/${path}`;
    const response = await this.get(what, call);
    if (!KV_ANSWERS.has(response.status)) throw statusError(this.context(what), response);
    const body = response.json as
      | { data?: { data?: unknown; metadata?: Record<string, unknown> } }
      | undefined;
    const metadata = body?.data?.metadata;
    if (response.status === 404) {
      if (!metadata) {
        if (response.json === undefined && response.bytes > 0)
          throw statusError(this.context(what), response);
        return { state: 'absent' };
      }
      return {
        state: metadata.destroyed === true ? 'destroyed' : 'deleted',
        version: Number(metadata.version),
        deletionTime: String(metadata.deletion_time ?? ''),
      };
    }
    const data = body?.data?.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data) || !metadata) {
      throw shapeError(this.context(what), response, 'data.data and data.metadata');
    }
    return { state: 'live', version: Number(metadata.version), data: data as Record<string, unknown> };
  }

  /** Reads `{mount}/metadata/{path}`: the current version and whether it is live, deleted or destroyed. */
  async readFingerprint(mount: string, path: string, call: VaultCall = {}): Promise<KvFingerprint> {
    const what = `${mount}/metadata/${path}`;
    const response = await this.get(what, call);
    if (response.status === 404 && !(response.json === undefined && response.bytes > 0)) {
      return { state: 'absent', version: 0 };
    }
    if (response.status !== 200) throw statusError(this.context(what), response);
    const data = (response.json as { data?: Record<string, unknown> } | undefined)?.data;
    const version = data?.current_version;
    if (typeof version !== 'number') throw shapeError(this.context(what), response, 'data.current_version');
    const versions = (data?.versions ?? {}) as Record<
      string,
      { deletion_time?: unknown; destroyed?: unknown }
    >;
    const current = versions[String(version)];
    if (version === 0 || current === undefined) return { state: 'absent', version: 0 };
    if (current.destroyed === true) return { state: 'destroyed', version };
    return { state: deletedNow(current.deletion_time, Date.now()) ? 'deleted' : 'live', version };
  }

  /** Stops the token renewal and closes the sockets. */
  close(): void {
    this.tokens.close();
    this.http.destroy();
  }

  private context(what: string): FailureContext {
    const noToken = this.connection.appRole === undefined && this.connection.token === undefined;
    return { name: this.name, address: this.connection.address, what, noToken };
  }
}

/** The fingerprint string of a metadata read (same form as {@link fingerprintOf}). */
export function fingerprintText(fingerprint: KvFingerprint): string {
  return fingerprint.state === 'absent' ? 'absent' : `${fingerprint.version}:${fingerprint.state}`;
}
