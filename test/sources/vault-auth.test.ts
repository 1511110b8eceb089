/** The Vault source's AppRole auth, its process lifetime, and a run against a real Vault when VAULT_ADDR is set. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vault, vaultRef } from '../../src/vault.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { rejectionOf } from '../helpers/temp-dir.js';
import { isMetadata, observe, useVault } from './vault-helpers.js';

const ctx = useVault();

describe('vault source: AppRole', () => {
  it('logs in, renews the token before it expires, and logs in again when renewal stops extending it', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    server.addAppRole({ roleName: 'web', roleId: 'role-1', secretId: 'sid-1', tokenTtl: 4, tokenMaxTtl: 6 });
    const source = ctx.track(
      vault({
        path: 'app',
        auth: { appRole: { roleId: 'role-1', secretId: 'sid-1' } },
        environ: () => ({ VAULT_ADDR: server.url }),
      }),
    );
    expect((await source.read()).data).toEqual({ v: 1 });
    expect(server.tokens.logins).toBe(1);
    const renewal = await server.nextEvent('response', (r) => r.path === '/v1/auth/token/renew-self', 8000);
    expect(renewal.status).toBe(200);
    // 2/3 of a 4 s lease is 2.7 s; the max TTL (6 s) then grants only ~3.3 s, less than asked, so
    // the source logs in again at once, while the token still runs: no request is ever denied.
    const relogin = await server.nextEvent('response', (r) => r.path === '/v1/auth/approle/login', 10_000);
    expect(relogin.status).toBe(200);
    expect(server.tokens.logins).toBe(2);
    expect(server.requests.filter((r) => r.status === 403)).toEqual([]);
    expect((await source.read()).data).toEqual({ v: 1 });
  }, 20_000);

  it('logs in again once after a 403 (a revoked token) and reads on', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    server.addAppRole({ roleName: 'web', roleId: 'role-1', secretId: 'sid-1' });
    const source = ctx.track(
      vault({
        path: 'app',
        auth: { appRole: { roleId: 'role-1', secretId: 'sid-1' } },
        environ: () => ({ VAULT_ADDR: server.url }),
      }),
    );
    await source.read();
    const [first] = server.requests.filter((r) => r.path === '/v1/auth/approle/login');
    expect(first?.status).toBe(200);
    // Revoke every non-root token: the next read gets a 403, logs in again and succeeds.
    server.tokens.revokeAllBut(server.rootToken);
    expect((await source.read()).data).toEqual({ v: 1 });
    expect(server.tokens.logins).toBe(2);
  });

  it('is PERMISSION with wrong AppRole credentials', async () => {
    const server = ctx.server();
    server.addAppRole({ roleName: 'web', roleId: 'role-1', secretId: 'sid-1' });
    const error = await rejectionOf(
      ctx
        .track(
          vault({
            path: 'app',
            auth: { appRole: { roleId: 'role-1', secretId: 'wrong' } },
            environ: () => ({ VAULT_ADDR: server.url }),
          }),
        )
        .read(),
    );
    expect(error.code).toBe('PERMISSION');
    expect(error.message).toContain('invalid role or secret ID');
    expect(error.message).not.toContain('wrong');
  });
});

describe('vault source: process lifetime', () => {
  it('never keeps the process alive: a watching, AppRole-renewing child exits by itself', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    server.addAppRole({ roleName: 'web', roleId: 'role-1', secretId: 'sid-1', tokenTtl: 3600 });
    const child = fileURLToPath(new URL('../fixtures/vault-alive-child.ts', import.meta.url));
    const proc = spawn(process.execPath, ['--import', 'tsx', child, server.url, 'role-1', 'sid-1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const polled = server.nextEvent('response', isMetadata, 15_000);
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await polled;
    const code = await exited;
    clearTimeout(killer);
    expect(withoutNodeWarnings(stderr)).toBe('');
    expect(code).toBe(0);
  }, 20_000);
});

describe.skipIf(!process.env.VAULT_ADDR)(
  'vault source against a real Vault (runs only when VAULT_ADDR is set)',
  () => {
    it('reads and watches secret/livecfg-test with VAULT_TOKEN', async () => {
      const address = process.env.VAULT_ADDR!;
      const headers = { 'X-Vault-Token': process.env.VAULT_TOKEN ?? '', 'Content-Type': 'application/json' };
      const write = (data: object) =>
        fetch(`${address}/v1/secret/data/livecfg-test`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ data }),
        });
      await write({ n: 1 });
      const source = ctx.track(vault({ path: 'livecfg-test', pollIntervalMs: 200 }));
      expect((await source.read()).data).toEqual({ n: 1 });
      const watched = observe(source);
      await write({ n: 2 });
      expect((await watched.next()).data).toEqual({ n: 2 });
      watched.stop();
    });

    it('resolves a vault: reference with VAULT_TOKEN', async () => {
      const address = process.env.VAULT_ADDR!;
      const headers = { 'X-Vault-Token': process.env.VAULT_TOKEN ?? '', 'Content-Type': 'application/json' };
      const body = JSON.stringify({ data: { password: 'pw' } });
      await fetch(`${address}/v1/secret/data/livecfg-ref`, { method: 'POST', headers, body });
      const resolver = vaultRef();
      expect(
        await resolver.resolve('vault:secret/livecfg-ref#password', { path: ['p'], source: 'test' }),
      ).toBe('pw');
      resolver.close();
    });
  },
);
