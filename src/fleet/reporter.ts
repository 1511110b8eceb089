/**
 * `fleetReporter`: one key per instance under `livecfg/fleet/<service>/<instance>`, living with an
 * etcd lease or a Consul session, rewritten on publish, on rejection and as a heartbeat (coalesced
 * to at most one write per second). It never makes the config fail and never keeps the process alive.
 */
import { hostname } from 'node:os';
import type { Config, ConfigError } from '../index.js';
import type { Subscription } from '../rx/index.js';
import { Backoff } from '../source-kit/backoff.js';
import {
  buildRecord,
  type FleetIdentity,
  type FleetRejection,
  livecfgVersion,
  rejectionOf,
} from './record.js';
import type { FleetStore } from './store.js';
import { type FleetStoreOptions, fleetKey, openFleetStore } from './stores.js';

/** Options of {@link fleetReporter}. */
export interface FleetReporterOptions extends FleetStoreOptions {
  /** The service's name: the instances of one service share `livecfg/fleet/<service>/`. */
  service: string;
  /** This instance's ID (default `<hostname>:<pid>`). */
  instance?: string;
  /** Seconds after which a killed instance's key vanishes (default 10; Consul needs ≥ 10 by default). */
  ttlSeconds?: number;
  /** Failures of the store (it is down, refuses a write); default: one process warning per outage. */
  onError?: (error: Error) => void;
}

/** The handle {@link fleetReporter} returns. */
export interface FleetReporter {
  /** The key this instance writes. */
  readonly key: string;
  /** Resolves once the key has been written the first time (never rejects; waits for the store). */
  readonly ready: Promise<void>;
  /** How many times the key was written. */
  readonly writes: number;
  /** Stops reporting and deletes the key (ends its lease or session). Idempotent; `config.close()` calls it too. */
  close(): Promise<void>;
}

/** The warning code of a store failure the reporter retries. */
export const FLEET_STORE_WARNING = 'LIVECFG_FLEET_STORE';

/** Errors that are no refused change (the data was never read) and so no `lastRejected`. */
const TRANSIENT = new Set(['SOURCE_READ', 'TIMEOUT', 'PERMISSION', 'CLOSED']);
const MIN_WRITE_INTERVAL_MS = 1000;

/**
 * Reports what this instance applied to the fleet key of `service`.
 *
 * @example
 * const report = fleetReporter(config, { store: 'etcd', service: 'orders', ttlSeconds: 10 });
 * // key livecfg/fleet/orders/<host:pid>; gone within the TTL if the process dies, at once on close()
 */
export function fleetReporter(config: Config<unknown>, options: FleetReporterOptions): FleetReporter {
  return new Reporter(config, options);
}

class Reporter implements FleetReporter {
  readonly key: string;
  readonly ready: Promise<void>;
  writes = 0;
  private readonly store: FleetStore;
  private readonly identity: FleetIdentity;
  private readonly subscriptions: Subscription[] = [];
  private readonly backoff = new Backoff({ initialMs: 200, maxMs: 10_000 });
  private readonly onError: (error: Error) => void;
  private lease: string | undefined;
  private publishedAt: string;
  private rejection: FleetRejection | null = null;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private dirty = false;
  /** When the last write started (any), and the last one that carried a publish or a rejection. */
  private lastWriteAt = 0;
  private lastChangeWriteAt = 0;
  /** A publish or rejection waits to be written (a heartbeat alone does not set it). */
  private changed = false;
  private failing = false;
  private closing: Promise<void> | undefined;
  private markReady: () => void = () => {};

  constructor(
    private readonly config: Config<unknown>,
    options: FleetReporterOptions,
  ) {
    const ttlSeconds = options.ttlSeconds ?? 10;
    const instance = options.instance ?? `${hostname()}:${process.pid}`;
    this.identity = {
      service: options.service,
      instance,
      host: hostname(),
      pid: process.pid,
      startedAt: new Date().toISOString(),
      livecfgVersion: livecfgVersion(),
      ttlSeconds,
    };
    this.key = fleetKey(options.prefix, options.service, instance);
    this.store = openFleetStore(options);
    this.onError = options.onError ?? warnOncePerOutage(this.store.address);
    this.publishedAt = config.history()[0]?.timestamp ?? this.identity.startedAt;
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
    this.subscriptions.push(
      config.changes$.subscribe({
        next: () => {
          this.publishedAt = new Date().toISOString();
          this.changed = true;
          this.schedule();
        },
        complete: () => void this.close(),
      }),
      config.errors$.subscribe((error: ConfigError) => {
        if (TRANSIENT.has(error.code)) return;
        this.rejection = rejectionOf(config, error);
        this.changed = true;
        this.schedule();
      }),
    );
    this.heartbeat = setInterval(() => this.beat(), (ttlSeconds * 1000) / 3);
    this.heartbeat.unref();
    this.schedule();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const subscription of this.subscriptions) subscription.unsubscribe();
      clearTimeout(this.timer);
      clearInterval(this.heartbeat);
      // Until the key is gone (bounded by the store's timeout), the process stays: a `close()` at the
      // end of main must not exit with the write in flight (a background request) and the key alive.
      const hold = setInterval(() => {}, 1000);
      try {
        await this.writing;
        const lease = this.lease;
        this.lease = undefined;
        if (lease !== undefined) await this.store.revoke(lease, { background: false });
      } catch (error) {
        this.onError(error as Error);
      } finally {
        clearInterval(hold);
        this.store.close();
        this.markReady();
      }
    })();
    return this.closing;
  }

  /**
   * Asks for a write: a change is written at once, or one second after the store acknowledged the
   * previous change's write (a storm gives at most one write per second, however slow the store
   * answers); a heartbeat alone is written at once (it comes only after ttl/2 s without any write, so
   * it never delays a change's write).
   */
  private schedule(): void {
    this.dirty = true;
    if (this.closing || this.writing || this.timer) return;
    const since = this.changed ? this.lastChangeWriteAt : 0;
    const delay = Math.max(0, since + MIN_WRITE_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.flush().finally(() => {
        this.writing = undefined;
        if (this.dirty) this.schedule();
      });
    }, delay);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    this.dirty = false;
    this.lastWriteAt = Date.now();
    const change = this.changed;
    this.changed = false;
    try {
      const record = buildRecord(this.config, this.identity, {
        publishedAt: this.publishedAt,
        rejection: this.rejection,
      });
      if (!(await this.put(JSON.stringify(record)))) await this.put(JSON.stringify(record), true);
      if (change) this.lastChangeWriteAt = Date.now();
      this.writes++;
      this.failing = false;
      this.backoff.reset();
      this.markReady();
    } catch (error) {
      if (this.closing) return;
      if (!this.failing) this.onError(error as Error);
      this.failing = true;
      this.retryLater();
    }
  }

  /** Writes under the lease (granting one when needed); false when the lease was gone. */
  private async put(value: string, fresh = false): Promise<boolean> {
    if (fresh) this.lease = undefined;
    this.lease ??= await this.store.grant(this.identity.ttlSeconds, this.key, { background: true });
    const ok = await this.store.putLeased(this.key, value, this.lease, { background: true });
    if (!ok && fresh) throw new Error(`${this.store.address}: could not write ${this.key} under a new lease`);
    return ok;
  }

  /** After a failure: the next write after a capped backoff (the heartbeat does not wait for it). */
  private retryLater(): void {
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastChangeWriteAt = 0;
      this.schedule();
    }, this.backoff.next());
    this.timer.unref();
  }

  /** Keeps the lease alive; rewrites the key (`heartbeatAt`) when nothing was written for ttl/2 s. */
  private beat(): void {
    const lease = this.lease;
    if (this.closing || this.failing || lease === undefined) return;
    const quiet = Date.now() - this.lastWriteAt >= (this.identity.ttlSeconds * 1000) / 2;
    this.store.keepAlive(lease, { background: true }).then(
      (alive) => {
        if (!alive && this.lease === lease) this.lease = undefined;
        if (!alive || quiet) this.schedule();
      },
      () => this.schedule(),
    );
  }
}

/** The default `onError`: a process warning for the first failure of each outage. */
function warnOncePerOutage(address: string): (error: Error) => void {
  return (error) => {
    process.emitWarning(`livecfg fleet: ${address}: ${error.message} (retrying)`, {
      type: 'LivecfgWarning',
      code: FLEET_STORE_WARNING,
    });
  };
}
