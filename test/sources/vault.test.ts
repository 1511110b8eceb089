/** The Vault KV v2 source's reads against the in-process Vault test server (test/vault-server/). */
import { describe, expect, it } from 'vitest';
import { vault } from '../../src/vault.js';
import { rejectionOf } from '../helpers/temp-dir.js';
import { useVault } from './vault-helpers.js';

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
      resolvedBy: 'vault',
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
    const tokenless = await rejectionOf(
      ctx.track(vault({ path: 'app', environ: () => ({ VAULT_ADDR: server.url }) })).read(),
    );
    expect(tokenless.code).toBe('PERMISSION');
    expect(tokenless.message).toContain('no token was sent; set VAULT_TOKEN');
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
