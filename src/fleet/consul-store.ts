/** The fleet's Consul store: TTL sessions (behavior delete), `?acquire=`, blocking prefix reads, `?cas=`. */
import type { Environ } from '../reader/formats/index.js';
import { HttpClient } from '../source-kit/http-client.js';
import {
  type ConsulAddressOptions,
  type ConsulTlsOptions,
  resolveConsulAddress,
  resolveConsulTls,
} from '../sources/consul/address.js';
import { KvClient, type KvEntry, KvRequestError, type WriteOptions } from '../sources/consul/client.js';
import type { CallOptions, CasResult, FleetStore, PrefixRead, StoredKey } from './store.js';
import { keyOfRead } from './store.js';

/** Where the fleet's Consul is: as the `consul()` source (`CONSUL_HTTP_ADDR`, `CONSUL_HTTP_TOKEN`, `CONSUL_CACERT`…). */
export interface ConsulStoreOptions extends ConsulAddressOptions {
  tls?: ConsulTlsOptions;
  dc?: string;
  /** Deadline of each non-blocking request, ms (default 5,000). */
  timeoutMs?: number;
  environ?: Environ;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** The Consul store; constructing it makes no request yet. */
export class ConsulFleetStore implements FleetStore {
  readonly kind = 'consul';
  readonly address: string;
  private readonly http: HttpClient;
  private readonly client: KvClient;
  private readonly token: string | undefined;
  private readonly dc: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: ConsulStoreOptions) {
    const environ = options.environ ?? (() => process.env);
    const tls = resolveConsulTls(options.tls ?? {}, environ);
    const address = resolveConsulAddress(
      options.tls !== undefined && options.secure === undefined ? { ...options, secure: true } : options,
      environ,
    );
    this.http = new HttpClient(tls ? { tls } : {});
    this.client = new KvClient(address, this.http);
    this.address = this.client.address;
    this.token = address.token;
    this.dc = options.dc;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async grant(ttlSeconds: number, name: string, options: CallOptions): Promise<string> {
    return this.client.createSession({
      ...this.write(options),
      name,
      ttl: `${ttlSeconds}s`,
      behavior: 'delete',
      lockDelay: '0s',
    });
  }

  keepAlive(lease: string, options: CallOptions): Promise<boolean> {
    return this.client.renewSession(lease, this.write(options));
  }

  revoke(lease: string, options: CallOptions): Promise<void> {
    return this.client.destroySession(lease, this.write(options));
  }

  async putLeased(key: string, value: string, lease: string, options: CallOptions): Promise<boolean> {
    try {
      return await this.client.put(key, value, { ...this.write(options), acquire: lease });
    } catch (error) {
      // An unknown (expired) session is a 500 `invalid session`: the caller creates a new one.
      if (error instanceof KvRequestError && /invalid session/.test(error.message)) return false;
      throw error;
    }
  }

  async get(key: string, options: CallOptions): Promise<{ revision: string; kv: StoredKey | undefined }> {
    const result = await this.client.get({ key, recurse: false, ...this.read(options) });
    return keyOfRead(key, String(result.index), result.entries.map(stored));
  }

  async list(prefix: string, options: CallOptions): Promise<PrefixRead> {
    const result = await this.client.get({ key: prefix, recurse: true, ...this.read(options) });
    return { revision: String(result.index), keys: result.entries.filter(isValue).map(stored) };
  }

  async waitList(prefix: string, since: string, waitMs: number, options: CallOptions): Promise<PrefixRead> {
    const wait = Math.max(1, Math.round(waitMs));
    const result = await this.client.get({
      key: prefix,
      recurse: true,
      index: Number(since),
      wait: `${wait}ms`,
      ...this.read(options),
      timeoutMs: wait + wait / 16 + this.timeoutMs,
    });
    return { revision: String(result.index), keys: result.entries.filter(isValue).map(stored) };
  }

  async cas(key: string, value: string | null, expected: string, options: CallOptions): Promise<CasResult> {
    const write = { ...this.write(options), cas: Number(expected) };
    const ok =
      value === null ? await this.client.delete(key, write) : await this.client.put(key, value, write);
    // Consul's KV PUT answers only true/false: read the index back. A key's own ModifyIndex for a
    // write; for a delete, the prefix read of the key, whose index counts its tombstone.
    const after = await this.client.get({ key, recurse: value === null, ...this.read(options) });
    const own = after.entries.find((entry) => entry.Key === key);
    return { ok, revision: String(value !== null && own ? own.ModifyIndex : after.index) };
  }

  close(): void {
    this.http.destroy();
  }

  private write(options: CallOptions): WriteOptions {
    return {
      timeoutMs: this.timeoutMs,
      background: options.background,
      ...(options.signal ? { signals: [options.signal] } : {}),
      ...(this.token === undefined ? {} : { token: this.token }),
      ...(this.dc === undefined ? {} : { dc: this.dc }),
    };
  }

  private read(options: CallOptions) {
    return this.write(options);
  }
}

/** Folder keys (a null Value) carry nothing. */
function isValue(entry: KvEntry): boolean {
  return entry.Value !== null;
}

function stored(entry: KvEntry): StoredKey {
  return { key: entry.Key, value: entry.Value ?? '', modRevision: String(entry.ModifyIndex) };
}
