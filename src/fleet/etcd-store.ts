/** The fleet's etcd store, on the JSON gateway client: leases, watches, MOD-revision transactions. */
import { readFileSync } from 'node:fs';
import type { Environ } from '../reader/formats/index.js';
import type { TlsOptions } from '../source-kit/http-client.js';
import { EtcdGateway, EtcdGatewayError, type KeyValue } from '../sources/etcd/gateway.js';
import type { CallOptions, CasResult, FleetStore, PrefixRead, StoredKey } from './store.js';
import { keyOfRead } from './store.js';

/** Where the fleet's etcd is (defaults: `ETCDCTL_ENDPOINTS`, `ETCDCTL_CACERT/CERT/KEY`, `ETCDCTL_USER`). */
export interface EtcdStoreOptions {
  /** Client URLs (default `ETCDCTL_ENDPOINTS`, comma-separated, else `http://127.0.0.1:2379`). */
  hosts?: string | readonly string[];
  tls?: TlsOptions;
  auth?: { username: string; password: string };
  /** Deadline of each call, ms (default 5,000). */
  timeoutMs?: number;
  environ?: Environ;
}

/** The etcd store; constructing it makes no request yet. */
export class EtcdFleetStore implements FleetStore {
  readonly kind = 'etcd';
  readonly address: string;
  private readonly gateway: EtcdGateway;
  /** One watch per waited-on prefix, kept open across waits (a new stream per wait costs more than the wait). */
  private readonly followers = new Map<string, PrefixFollower>();

  constructor(options: EtcdStoreOptions) {
    const env = (options.environ ?? (() => process.env))();
    const hosts =
      options.hosts === undefined
        ? (env.ETCDCTL_ENDPOINTS ?? 'http://127.0.0.1:2379').split(',').map((host) => host.trim())
        : [options.hosts].flat();
    const tls = options.tls ?? tlsFromEnv(env);
    const auth = options.auth ?? authFromEnv(env);
    this.gateway = new EtcdGateway({
      hosts: hosts.map((host) => (/^[a-z]+:\/\//i.test(host) ? host : `http://${host}`)),
      ...(tls ? { tls } : {}),
      ...(auth ? { auth } : {}),
      timeoutMs: options.timeoutMs ?? 5000,
    });
    this.address = this.gateway.endpoint;
  }

  async grant(ttlSeconds: number, _name: string, options: CallOptions): Promise<string> {
    return (await this.gateway.leaseGrant(ttlSeconds, options)).id;
  }

  async keepAlive(lease: string, options: CallOptions): Promise<boolean> {
    try {
      await this.gateway.leaseKeepAlive(lease, options);
      return true;
    } catch (error) {
      if (isGone(error)) return false;
      throw error;
    }
  }

  async revoke(lease: string, options: CallOptions): Promise<void> {
    try {
      await this.gateway.leaseRevoke(lease, options);
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }

  async putLeased(key: string, value: string, lease: string, options: CallOptions): Promise<boolean> {
    try {
      await this.gateway.put(key, value, { ...options, lease });
      return true;
    } catch (error) {
      if (isGone(error)) return false;
      throw error;
    }
  }

  async get(key: string, options: CallOptions): Promise<{ revision: string; kv: StoredKey | undefined }> {
    const page = await this.gateway.range(key, options);
    return keyOfRead(key, page.revision, page.kvs.map(stored));
  }

  async list(prefix: string, options: CallOptions): Promise<PrefixRead> {
    const keys: StoredKey[] = [];
    const { revision } = await this.gateway.rangeAll(prefix, {
      ...options,
      prefix: true,
      onPage: (page) => {
        for (const kv of page.kvs) keys.push(stored(kv));
      },
    });
    return { revision, keys };
  }

  async waitList(prefix: string, since: string, waitMs: number, options: CallOptions): Promise<PrefixRead> {
    let follower = this.followers.get(prefix);
    if (!follower) {
      follower = new PrefixFollower(this.gateway, prefix, since, () => this.followers.delete(prefix));
      this.followers.set(prefix, follower);
    }
    await follower.after(BigInt(since), waitMs, options.signal);
    if (options.signal?.aborted) throw options.signal.reason;
    return this.list(prefix, options);
  }

  async cas(key: string, value: string | null, expected: string, options: CallOptions): Promise<CasResult> {
    const result = await this.gateway.txn(
      {
        compare: [{ key, target: 'MOD', modRevision: expected }],
        success: [value === null ? { deleteRange: { key } } : { put: { key, value } }],
      },
      options,
    );
    return { ok: result.succeeded, revision: result.revision };
  }

  close(): void {
    for (const follower of [...this.followers.values()]) follower.close();
    this.gateway.close();
  }
}

/** A watch on a prefix that remembers the newest revision it saw and wakes the waits it passes. */
class PrefixFollower {
  private latest: bigint;
  private readonly waiters = new Set<{ after: bigint; wake: () => void }>();
  private readonly watch: ReturnType<EtcdGateway['watch']>;

  constructor(gateway: EtcdGateway, prefix: string, revision: string, onEnd: () => void) {
    this.latest = BigInt(revision);
    this.watch = gateway.watch(
      { key: prefix, prefix: true, startRevision: this.latest + 1n },
      {
        onEvents: (events) => {
          for (const event of events) {
            const at = BigInt(event.modRevision);
            if (at > this.latest) this.latest = at;
          }
          for (const waiter of [...this.waiters]) if (this.latest > waiter.after) waiter.wake();
        },
      },
    );
    void this.watch.ended.then(() => {
      onEnd();
      for (const waiter of [...this.waiters]) waiter.wake();
    });
  }

  /** Resolves once a change after `revision` was seen, after `waitMs`, or on abort. */
  after(revision: bigint, waitMs: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.latest > revision) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        after: revision,
        wake: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.wake);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, waitMs);
      timer.unref();
      signal?.addEventListener('abort', waiter.wake, { once: true });
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.watch.close();
  }
}

function stored(kv: KeyValue): StoredKey {
  return { key: kv.key, value: kv.value, modRevision: kv.modRevision };
}

/** A lease that expired or was revoked. */
function isGone(error: unknown): boolean {
  return (
    error instanceof EtcdGatewayError &&
    (error.reason === 'not-found' || /lease not found/i.test(error.message))
  );
}

function tlsFromEnv(env: Record<string, string | undefined>): TlsOptions | undefined {
  const read = (name: string): Buffer | undefined => {
    const path = env[name];
    return path ? readFileSync(path) : undefined;
  };
  const ca = read('ETCDCTL_CACERT');
  const cert = read('ETCDCTL_CERT');
  const key = read('ETCDCTL_KEY');
  if (!ca && !cert && !key) return undefined;
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

function authFromEnv(
  env: Record<string, string | undefined>,
): { username: string; password: string } | undefined {
  const user = env.ETCDCTL_USER;
  if (!user) return undefined;
  const colon = user.indexOf(':');
  if (colon >= 0) return { username: user.slice(0, colon), password: user.slice(colon + 1) };
  return { username: user, password: env.ETCDCTL_PASSWORD ?? '' };
}
