/**
 * Test plumbing for the Consul source: a target (the in-process test server or a real Consul from
 * `CONSUL_HTTP_ADDR`) and a recorder that turns a watch into awaitable emissions.
 */
import { randomUUID } from 'node:crypto';
import Consul from 'consul';
import type { Subscription } from 'rxjs';
import type { ConfigError } from '../../src/reader/errors.js';
import type { ChangeSet } from '../../src/source-kit/source.js';
import { parseConsulHttpAddr } from '../../src/sources/consul/address.js';
import { type ConsulOptions, type ConsulSource, consul } from '../../src/sources/consul/consul.js';
import type { ConsulTestServer } from '../consul-server/server.js';

/** Where the shared cases run, and how they write keys there. */
export interface KvTarget {
  readonly label: string;
  /** Connection options for `consul()`. */
  connection(): ConsulOptions;
  put(key: string, value: string): Promise<void>;
  delete(key: string, recurse?: boolean): Promise<void>;
}

/** A fresh prefix per test, so cases never see each other's keys (and can run against a shared Consul). */
export function uniquePrefix(): string {
  return `livecfg-test/${randomUUID().slice(0, 8)}/`;
}

/** The in-process server as a target (writes over HTTP, like any client). */
export function serverTarget(server: () => ConsulTestServer): KvTarget {
  const url = (key: string, query = '') => `${server().url}/v1/kv/${key}${query}`;
  return {
    label: 'in-process test server',
    connection: () => ({ host: server().host, port: server().port, environ: () => ({}) }),
    put: async (key, value) => {
      await (await fetch(url(key), { method: 'PUT', body: value })).text();
    },
    delete: async (key, recurse = false) => {
      await (await fetch(url(key, recurse ? '?recurse' : ''), { method: 'DELETE' })).text();
    },
  };
}

/** A real Consul from `CONSUL_HTTP_ADDR` / `CONSUL_HTTP_TOKEN` as a target. */
export function realConsulTarget(): KvTarget & { close(): void } {
  const address = parseConsulHttpAddr(process.env.CONSUL_HTTP_ADDR ?? '127.0.0.1:8500');
  const token = process.env.CONSUL_HTTP_TOKEN || undefined;
  const client = new Consul({ ...address, ...(token ? { defaults: { token } } : {}) });
  return {
    label: `Consul at ${process.env.CONSUL_HTTP_ADDR}`,
    connection: () => ({}),
    put: async (key, value) => {
      await client.kv.set(key, value);
    },
    delete: async (key, recurse = false) => {
      await client.kv.del({ key, recurse });
    },
    close: () => client.destroy(),
  };
}

/** A watch subscription whose emissions and reported errors can be awaited in order. */
export interface Recorder {
  readonly changes: ChangeSet[];
  readonly errors: ConfigError[];
  /** The next emission not yet taken; rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<ChangeSet>;
  /** The next reported error not yet taken; rejects after `timeoutMs`. */
  nextError(timeoutMs?: number): Promise<ConfigError>;
  readonly subscription: Subscription;
  completed: boolean;
}

/** Items in arrival order; `take` waits for the next one not yet taken. */
class Queue<T> {
  readonly items: T[] = [];
  private taken = 0;
  private waiter: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.waiter?.();
  }

  take(label: string, timeoutMs = 3000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        if (this.items.length <= this.taken) return false;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(this.items[this.taken++] as T);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no ${label} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.waiter = check;
    });
  }
}

/** Subscribes to `source.watch()` and its error hook. */
export function record(source: ConsulSource): Recorder {
  const changes = new Queue<ChangeSet>();
  const errors = new Queue<ConfigError>();
  source.onError((error) => errors.push(error));
  const recorder: Recorder = {
    changes: changes.items,
    errors: errors.items,
    next: (timeoutMs) => changes.take('ChangeSet', timeoutMs),
    nextError: (timeoutMs) => errors.take('error', timeoutMs),
    completed: false,
    subscription: source.watch().subscribe({
      next: (change) => changes.push(change),
      error: (error: ConfigError) => errors.push(error),
      complete: () => {
        recorder.completed = true;
      },
    }),
  };
  return recorder;
}

/** `consul()` on a target, with fast retries for tests. */
export function sourceOn(target: KvTarget, options: ConsulOptions): ConsulSource {
  return consul({ wait: '10s', backoff: { initialMs: 20, maxMs: 200 }, ...target.connection(), ...options });
}
