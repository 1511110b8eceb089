/** Helpers for the Vault source tests: a test server per test and ways to wait on what the source does. */
import { afterEach, beforeEach } from 'vitest';
import type { ConfigError } from '../../src/reader/errors.js';
import type { ChangeSet } from '../../src/source-kit/source.js';
import type { VaultSource } from '../../src/sources/vault/source.js';
import { type RequestRecord, startVaultServer, type VaultTestServer } from '../vault-server/server.js';

/** Starts a Vault test server (namespace `ns1`) before each test; closes it and every source after. */
export function useVault(): { server(): VaultTestServer; track<T extends { close(): unknown }>(item: T): T } {
  let server: VaultTestServer | undefined;
  const opened: Array<{ close(): unknown }> = [];
  beforeEach(async () => {
    server = await startVaultServer({ namespaces: ['ns1'] });
  });
  afterEach(async () => {
    for (const item of opened.splice(0)) await item.close();
    await server?.close();
  });
  return {
    server: () => server!,
    track: (item) => {
      opened.push(item);
      return item;
    },
  };
}

/** A queue over a source's watch emissions and errors, awaited one by one with a timeout. */
export function observe(source: VaultSource): {
  next(timeoutMs?: number): Promise<ChangeSet>;
  nextError(timeoutMs?: number): Promise<ConfigError>;
  stop(): void;
} {
  const changes: ChangeSet[] = [];
  const errors: ConfigError[] = [];
  let wake: (() => void) | undefined;
  source.onError((error) => {
    errors.push(error);
    wake?.();
  });
  const subscription = source.watch().subscribe((changeSet) => {
    changes.push(changeSet);
    wake?.();
  });
  const take = async <T>(queue: T[], what: string, timeoutMs: number): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return queue.shift()!;
  };
  return {
    next: (timeoutMs = 5000) => take(changes, 'emission', timeoutMs),
    nextError: (timeoutMs = 5000) => take(errors, 'error', timeoutMs),
    stop: () => subscription.unsubscribe(),
  };
}

/** Is this a request for the metadata / data of `secret/app`? */
export const isMetadata = (record: RequestRecord): boolean => record.path.includes('/metadata/');
export const isData = (record: RequestRecord): boolean => record.path.includes('/data/');
