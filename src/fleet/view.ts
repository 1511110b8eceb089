/** Reading a service's fleet from the store: once, or live from a watch on its prefix. */
import type { FleetRecord } from './record.js';
import { parseRecords } from './rows.js';
import type { FleetStore } from './store.js';
import { type FleetStoreOptions, fleetPrefix, openFleetStore } from './stores.js';

/** The instance records of a service at one store revision. */
export interface FleetSnapshot {
  revision: string;
  records: FleetRecord[];
}

/** Reads the records of `service` once. */
export async function readFleet(
  store: FleetStore,
  service: string,
  options: { prefix?: string; background?: boolean; signal?: AbortSignal } = {},
): Promise<FleetSnapshot> {
  const read = await store.list(fleetPrefix(options.prefix, service), {
    background: options.background ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { revision: read.revision, records: parseRecords(read.keys.map((key) => key.value)) };
}

/** Options of {@link FleetWatch}. */
export interface FleetWatchOptions extends FleetStoreOptions {
  service: string;
  /** Longest wait of one blocking read, ms (default 30,000). */
  waitMs?: number;
  /** Delay before retrying a failed read, ms (default 1,000). */
  retryMs?: number;
}

/**
 * The records of a service kept current from a watch on its prefix (a blocking query on Consul, a
 * watch stream on etcd); `current` is the last snapshot. Never keeps the process alive.
 */
export class FleetWatch {
  current: FleetSnapshot | undefined;
  /** The last read failure (cleared by a success). */
  lastError: Error | undefined;
  private readonly store: FleetStore;
  private readonly controller = new AbortController();
  private readonly listeners = new Set<(snapshot: FleetSnapshot) => void>();

  constructor(private readonly options: FleetWatchOptions) {
    this.store = openFleetStore(options);
    void this.loop();
  }

  /** Calls `listener` with each new snapshot; returns the unsubscribe function. */
  onChange(listener: (snapshot: FleetSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops watching and closes the store's sockets. */
  close(): void {
    this.controller.abort();
    this.store.close();
  }

  private async loop(): Promise<void> {
    const prefix = fleetPrefix(this.options.prefix, this.options.service);
    const { signal } = this.controller;
    while (!signal.aborted) {
      try {
        const read =
          this.current === undefined
            ? await this.store.list(prefix, { background: true, signal })
            : await this.store.waitList(prefix, this.current.revision, this.options.waitMs ?? 30_000, {
                background: true,
                signal,
              });
        this.lastError = undefined;
        const snapshot = {
          revision: read.revision,
          records: parseRecords(read.keys.map((key) => key.value)),
        };
        this.current = snapshot;
        for (const listener of [...this.listeners]) listener(snapshot);
      } catch (error) {
        if (signal.aborted) return;
        this.lastError = error as Error;
        await new Promise((resolve) => setTimeout(resolve, this.options.retryMs ?? 1000).unref());
      }
    }
  }
}
