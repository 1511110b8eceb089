/**
 * The resolvers inside loadConfig, end to end: real `age` ciphertexts in a watched file, a Vault
 * version bump reaching watch(), Vault references. It never skips: broken resolvers fail it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Config,
  type ConfigError,
  file,
  type LoadOptions,
  loadConfig,
  memory,
} from '../../src/index.js';
import type { Resolver } from '../../src/reader/contract.js';
import { ageDecrypt } from '../../src/secrets/age.js';
import { vault, vaultRef } from '../../src/vault.js';
import { startVaultServer, type VaultTestServer } from '../vault-server/server.js';
import { type AgeKey, ageWorkspace, cliEncrypt } from './age-cli.js';

type Options = LoadOptions<undefined> & { resolvers?: Resolver[] };
const load = (options: Options): Promise<Config> =>
  loadConfig(options as LoadOptions<undefined>) as Promise<Config>;

let workspace: ReturnType<typeof ageWorkspace>;
let key: AgeKey;
let other: AgeKey;
const opened: Array<{ close(): unknown }> = [];

beforeAll(() => {
  workspace = ageWorkspace();
  key = workspace.keygen('service');
  other = workspace.keygen('other');
});
afterEach(async () => {
  for (const item of opened.splice(0)) await item.close();
});
afterAll(() => workspace.remove());

/** The next value of an observable-like source of values, with a timeout. */
function next<T>(
  subscribe: (listener: (value: T) => void) => { unsubscribe(): void },
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`nothing within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = subscribe((value) => {
      clearTimeout(timer);
      queueMicrotask(() => subscription.unsubscribe());
      resolve(value);
    });
  });
}

describe('resolvers in loadConfig', () => {
  it('decrypts an age CLI ciphertext in a loaded and a reloaded file; a corrupted edit keeps the last good value', async () => {
    const path = join(workspace.dir, 'app.yaml');
    const write = (password: string) => writeFileSync(path, `db:\n  user: bob\n  password: ${password}\n`);
    write(cliEncrypt('first-secret', key.recipient));
    const config = await load({
      sources: [file(path)],
      resolvers: [ageDecrypt({ identityFile: key.file })],
    });
    opened.push(config);
    expect(config.get('db.password')).toBe('first-secret');
    const explanation = config.explain('db.password') as unknown as Record<string, unknown>;
    expect(explanation.resolvedBy).toBe('age');
    expect(JSON.stringify(explanation)).not.toContain('first-secret');

    const changed = next<unknown>((listener) =>
      config.watch('db.password', { emitCurrent: false }).subscribe(listener),
    );
    write(cliEncrypt('second-secret', key.recipient));
    expect(await changed).toBe('second-secret');

    const failed = next<ConfigError>((listener) => config.errors$.subscribe(listener));
    write(cliEncrypt('for-someone-else', other.recipient));
    const error = await failed;
    expect(error.code).toBe('SECRET');
    expect(error.message).toContain('db.password');
    expect(error.message).toContain(path);
    expect(error.message).toContain('no identity matched');
    for (const secret of ['first-secret', 'second-secret', 'for-someone-else'])
      expect(error.message).not.toContain(secret);
    expect(config.get('db.password')).toBe('second-secret');
  });

  describe('with Vault', () => {
    let server: VaultTestServer;
    beforeAll(async () => {
      server = await startVaultServer();
    });
    afterAll(() => server.close());

    it('publishes a Vault version bump to watch(path) after at most one poll', async () => {
      server.write('secret', 'app', { db: { password: 'v1' } });
      const source = vault({
        path: 'app',
        address: server.url,
        token: server.rootToken,
        pollIntervalMs: 50,
        environ: () => ({}),
      });
      const config = await load({ sources: [source] });
      opened.push(config);
      expect(config.get('db.password')).toBe('v1');
      const explanation = config.explain('db.password') as unknown as Record<string, unknown>;
      expect(explanation.resolvedBy).toBe('vault');
      expect(explanation.origin).toEqual({ vaultPath: 'secret/app', version: 1, resolvedBy: 'vault' });
      expect(JSON.stringify(explanation)).not.toContain('"v1"');
      const changed = next<unknown>((listener) =>
        config.watch('db.password', { emitCurrent: false }).subscribe(listener),
      );
      server.clearLog();
      server.write('secret', 'app', { db: { password: 'v2' } });
      expect(await changed).toBe('v2');
      const polls = server.requests.filter((r) => r.path.includes('/metadata/'));
      expect(polls.length).toBeLessThanOrEqual(2); // the poll that saw it, and at most one in flight at the write
    });

    it('resolves vault: references in any source', async () => {
      server.write('secret', 'app/db', { password: 'from-vault', port: 5432 });
      const config = await load({
        sources: [
          memory({ db: { password: 'vault:secret/app/db#password', port: 'vault:secret/app/db#port' } }),
        ],
        resolvers: [vaultRef({ address: server.url, token: server.rootToken, environ: () => ({}) })],
        watch: false,
      });
      opened.push(config);
      expect(config.get('db.password')).toBe('from-vault');
      expect(config.get('db.port')).toBe(5432);
    });
  });
});
