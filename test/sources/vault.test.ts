/** The Vault KV v2 source against the in-process Vault test server (test/vault-server/). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vault } from '../../src/vault.js';
import { rejectionOf } from '../helpers/temp-dir.js';
import { isData, isMetadata, observe, useVault } from './vault-helpers.js';

const ctx = useVault();
const env = () => ({ VAULT_ADDR: ctx.server().url, VAULT_TOKEN: ctx.server().rootToken });

describe('vault source: read', () => {
  it('reads data.data of the current version as a layer, with VAULT_ADDR/VAULT_TOKEN defaults', async () => {
    const server = ctx.server();
    server.write('secret', 'app/config', { db: { password: 'pw-1' }, port: 5432 });
    server.write('secret', 'app/config', { db: { password: 'pw-2' }, port: 5432 });
    const source = ctx.track(vault({ path: 'app/config', environ: env }));
    expect(source.name).toBe('vault:secret/app/config');
    const changeSet = await source.read();
    expect(changeSet.data).toEqual({ db: { password: 'pw-2' }, port: 5432 });
    expect(changeSet.source).toBe('vault:secret/app/config');
    expect(changeSet.origins?.lookup(['db', 'password'])).toEqual({
      vaultPath: 'secret/app/config',
      version: 2,
    });
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/v1/secret/data/app/config');
  });

  it('reads from a namespace (VAULT_NAMESPACE or the option) with X-Vault-Namespace', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { where: 'ns1' }, 'ns1');
    server.write('secret', 'app', { where: 'root' });
    const byEnv = ctx.track(vault({ path: 'app', environ: () => ({ ...env(), VAULT_NAMESPACE: 'ns1/' }) }));
    expect((await byEnv.read()).data).toEqual({ where: 'ns1' });
    expect(server.requests.at(-1)?.namespace).toBe('ns1');
    const byOption = ctx.track(vault({ path: 'app', namespace: 'ns1', environ: env }));
    expect((await byOption.read()).data).toEqual({ where: 'ns1' });
  });

  it('is NOT_FOUND for a missing secret, or an empty layer when optional', async () => {
    const missing = await rejectionOf(ctx.track(vault({ path: 'nope', environ: env })).read());
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('vault:secret/nope');
    expect(missing.message).toContain('optional: true');
    const optional = ctx.track(vault({ path: 'nope', optional: true, environ: env }));
    expect((await optional.read()).data).toEqual({});
  });

  it('treats a soft-deleted or destroyed current version as missing, saying which', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { a: 1 });
    server.kv().softDelete('app');
    const deleted = await rejectionOf(ctx.track(vault({ path: 'app', environ: env })).read());
    expect(deleted.code).toBe('NOT_FOUND');
    expect(deleted.message).toMatch(/current version 1 of secret\/app was deleted at .*; undelete it/);
    server.kv().destroy('app', [1]);
    const destroyed = await rejectionOf(ctx.track(vault({ path: 'app', environ: env })).read());
    expect(destroyed.message).toContain('version 1 of secret/app is destroyed');
    expect((await ctx.track(vault({ path: 'app', optional: true, environ: env })).read()).data).toEqual({});
  });

  it('is PERMISSION on 403, and names HTTP errors and HTML bodies without leaking data', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { password: 'very-secret' });
    const denied = await rejectionOf(
      ctx
        .track(vault({ path: 'app', environ: () => ({ VAULT_ADDR: server.url, VAULT_TOKEN: 'bad' }) }))
        .read(),
    );
    expect(denied.code).toBe('PERMISSION');
    expect(denied.message).toContain(
      'denied reading secret/data/app (403: permission denied; invalid token)',
    );
    const source = ctx.track(vault({ path: 'app', environ: env }));
    server.failNext(1, 503);
    const sealed = await rejectionOf(source.read());
    expect(sealed.code).toBe('SOURCE_READ');
    expect(sealed.message).toContain('answered HTTP 503: Vault is sealed');
    server.failNext(1, 502, 'html');
    const proxy = await rejectionOf(source.read());
    expect(proxy.message).toContain('HTTP 502 (a text/html body');
    server.dropNext(1);
    const dropped = await rejectionOf(source.read());
    expect(dropped.code).toBe('SOURCE_READ');
    expect(dropped.message).toContain(`cannot reach Vault at ${server.url}`);
    for (const error of [denied, sealed, proxy, dropped]) expect(error.message).not.toContain('very-secret');
    expect((await source.read()).data).toEqual({ password: 'very-secret' });
  });

  it('times out a request that hangs', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { a: 1 });
    server.setLatency(2000);
    const error = await rejectionOf(ctx.track(vault({ path: 'app', timeoutMs: 100, environ: env })).read());
    expect(error.code).toBe('TIMEOUT');
    server.setLatency(0);
  });
});

describe('vault source: watch by polling metadata', () => {
  it('costs one metadata request per unchanged poll, and reaches a version bump within one interval', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { greeting: 'hello' });
    const source = ctx.track(vault({ path: 'app', pollIntervalMs: 40, environ: env }));
    await source.read();
    server.clearLog();
    const watched = observe(source);
    for (let i = 0; i < 3; i++) await server.nextEvent('response', isMetadata);
    expect(server.requests.filter(isData)).toEqual([]);
    expect(server.requests.every((record) => record.method === 'GET' && isMetadata(record))).toBe(true);
    server.clearLog();
    server.write('secret', 'app', { greeting: 'bonjour' });
    const change = await watched.next();
    expect(change.data).toEqual({ greeting: 'bonjour' });
    expect(change.origins?.lookup(['greeting'])).toEqual({ vaultPath: 'secret/app', version: 2 });
    expect(server.requests.filter(isData)).toHaveLength(1);
    watched.stop();
  });

  it('reports a deleted version once, polls cheaply meanwhile, and publishes the next version', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    const source = ctx.track(
      vault({ path: 'app', pollIntervalMs: 30, backoff: { initialMs: 30, maxMs: 60 }, environ: env }),
    );
    await source.read();
    const watched = observe(source);
    server.kv().softDelete('app');
    const error = await watched.nextError();
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('was deleted at');
    server.clearLog();
    for (let i = 0; i < 3; i++) await server.nextEvent('response', isMetadata);
    expect(server.requests.filter(isData)).toEqual([]);
    server.kv().undelete('app', [1]);
    await server.nextEvent('response', isData); // re-read after undelete: same data as published, no emission
    server.write('secret', 'app', { v: 2 });
    expect((await watched.next()).data).toEqual({ v: 2 });
    server.kv().destroy('app', [2]);
    expect((await watched.nextError()).message).toContain('is destroyed');
    watched.stop();
  });

  it('with optional, publishes an empty layer on delete and the data again on undelete', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    const source = ctx.track(vault({ path: 'app', optional: true, pollIntervalMs: 30, environ: env }));
    await source.read();
    const watched = observe(source);
    server.kv().softDelete('app');
    expect((await watched.next()).data).toEqual({});
    server.kv().undelete('app', [1]);
    expect((await watched.next()).data).toEqual({ v: 1 });
    server.kv().deleteMetadata('app');
    expect((await watched.next()).data).toEqual({});
    watched.stop();
  });

  it('notices a future deletion_time passing (delete_version_after)', async () => {
    const server = ctx.server();
    server.kv().config.deleteVersionAfterSec = 3600;
    server.write('secret', 'app', { v: 1 });
    const source = ctx.track(vault({ path: 'app', optional: true, pollIntervalMs: 30, environ: env }));
    expect((await source.read()).data).toEqual({ v: 1 });
    const watched = observe(source);
    // The source compares deletion_time with its own clock: move the version's deletion into the past.
    const entry = server.kv().keys.get('app')?.versions.get(1);
    if (entry) entry.deletionMs = Date.now() - 1000;
    expect((await watched.next()).data).toEqual({});
    watched.stop();
  });

  it('backs off on 403 without a storm: the next poll waits the longest delay', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    const token = server.createToken();
    const source = ctx.track(
      vault({
        path: 'app',
        token: token.id,
        pollIntervalMs: 20,
        backoff: { initialMs: 20, maxMs: 400 },
        environ: () => ({ VAULT_ADDR: server.url }),
      }),
    );
    await source.read();
    const watched = observe(source);
    await server.nextEvent('response', isMetadata);
    server.tokens.revoke(token.id);
    const denied = await watched.nextError();
    expect(denied.code).toBe('PERMISSION');
    const deniedAt = Date.now();
    const next = await server.nextEvent('request', () => true, 5000);
    expect(next.startedAt - deniedAt).toBeGreaterThanOrEqual(350);
    watched.stop();
  });

  it('polls data/ instead when the token may read data/ but not metadata/ (one request per poll)', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    const narrow = server.createToken({ policy: { allow: ['secret/data/app'] } });
    const source = ctx.track(
      vault({
        path: 'app',
        token: narrow.id,
        pollIntervalMs: 20,
        environ: () => ({ VAULT_ADDR: server.url }),
      }),
    );
    await source.read();
    const watched = observe(source);
    await server.nextEvent('response', (r) => isMetadata(r) && r.status === 403);
    server.clearLog();
    for (let i = 0; i < 3; i++) await server.nextEvent('response', isData);
    expect(server.requests.filter(isMetadata)).toEqual([]);
    server.write('secret', 'app', { v: 2 });
    expect((await watched.next()).data).toEqual({ v: 2 });
    watched.stop();
  });

  it('recovers after 503s, HTML pages and dropped connections, reporting each failure', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    const source = ctx.track(
      vault({ path: 'app', pollIntervalMs: 20, backoff: { initialMs: 20, maxMs: 50 }, environ: env }),
    );
    await source.read();
    const watched = observe(source);
    server.failNext(1, 503);
    expect((await watched.nextError()).message).toContain('503');
    server.failNext(1, 502, 'html');
    expect((await watched.nextError()).message).toContain('text/html');
    server.dropNext(1);
    expect((await watched.nextError()).message).toContain('cannot reach Vault');
    server.write('secret', 'app', { v: 2 });
    expect((await watched.next()).data).toEqual({ v: 2 });
    watched.stop();
  });

  it('stops polling on close(): the watch completes and no request follows', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    const source = vault({ path: 'app', pollIntervalMs: 20, environ: env });
    await source.read();
    let completed = false;
    source.watch().subscribe({ complete: () => (completed = true) });
    await server.nextEvent('response', isMetadata);
    await source.close();
    expect(completed).toBe(true);
    const count = server.requests.length;
    // A poll interval is 20 ms: had the loop survived, a request would arrive well within 300 ms.
    await expect(server.nextEvent('request', () => true, 300)).rejects.toThrow(/no "request" event/);
    expect(server.requests.length).toBe(count);
    expect((await rejectionOf(source.read())).code).toBe('CLOSED');
  });
});

describe('vault source: AppRole', () => {
  it('logs in, renews the token before it expires, and logs in again when renewal stops extending it', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    server.addAppRole({ roleName: 'web', roleId: 'role-1', secretId: 'sid-1', tokenTtl: 3, tokenMaxTtl: 5 });
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
    // 2/3 of a 3 s lease is 2 s; near the max TTL (5 s) a renewal grants less than asked, so the
    // source logs in again by itself, before the token runs out: no request is ever denied.
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
    expect(stderr).toBe('');
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
  },
);
