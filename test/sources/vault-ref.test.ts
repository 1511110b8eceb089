/** vaultRef(): `vault:<mount>/<path>#<field>` references resolved against the Vault test server. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolveContext } from '../../src/reader/contract.js';
import { parseVaultReference } from '../../src/sources/vault/ref.js';
import { vaultRef } from '../../src/vault.js';
import { rejectionOf } from '../helpers/temp-dir.js';
import { isData, useVault } from './vault-helpers.js';

const ctx = useVault();
const env = () => ({ VAULT_ADDR: ctx.server().url, VAULT_TOKEN: ctx.server().rootToken });
const at = (...path: string[]): ResolveContext => ({ path, source: 'file:app.yaml' });

describe('vaultRef', () => {
  it('resolves a field of the current version, keeping its JSON type', async () => {
    const server = ctx.server();
    server.write('secret', 'app/db', { password: 'old' });
    server.write('secret', 'app/db', { password: 'pw', port: 5432, tls: { ca: 'x' } });
    const resolver = ctx.track(vaultRef({ environ: env }));
    expect(resolver.name).toBe('vault');
    expect(resolver.matches('vault:secret/app/db#password')).toBe(true);
    expect(resolver.matches('vault:secret/app/db')).toBe(false);
    expect(resolver.matches('https://vault:8200/#x')).toBe(false);
    expect(await resolver.resolve('vault:secret/app/db#password', at('db', 'password'))).toBe('pw');
    expect(await resolver.resolve('vault:secret/app/db#port', at('db', 'port'))).toBe(5432);
    expect(await resolver.resolve('vault:secret/app/db#tls', at('db', 'tls'))).toEqual({ ca: 'x' });
  });

  it('batches concurrent references to one secret into one read', async () => {
    const server = ctx.server();
    server.write('secret', 'app/db', { user: 'u', password: 'p', host: 'h' });
    server.write('secret', 'app/api', { key: 'k' });
    const resolver = ctx.track(vaultRef({ environ: env }));
    server.clearLog();
    const values = await Promise.all([
      resolver.resolve('vault:secret/app/db#user', at('db', 'user')),
      resolver.resolve('vault:secret/app/db#password', at('db', 'password')),
      resolver.resolve('vault:secret/app/db#host', at('db', 'host')),
      resolver.resolve('vault:secret/app/api#key', at('api', 'key')),
      resolver.resolve('vault:/secret/app/db/#user', at('again')),
    ]);
    expect(values).toEqual(['u', 'p', 'h', 'k', 'u']);
    expect(server.requests.filter(isData).map((r) => r.path)).toEqual([
      '/v1/secret/data/app/db',
      '/v1/secret/data/app/api',
    ]);
    // A later resolution reads again (a new version is seen).
    server.write('secret', 'app/db', { user: 'u2' });
    expect(await resolver.resolve('vault:secret/app/db#user', at('db', 'user'))).toBe('u2');
  });

  it('names a missing field, secret or deleted version with the path and source, never a value', async () => {
    const server = ctx.server();
    server.write('secret', 'app/db', { password: 'hunter2', user: 'u' });
    const resolver = ctx.track(vaultRef({ environ: env }));
    const field = await rejectionOf(resolver.resolve('vault:secret/app/db#pasword', at('db', 'password')));
    expect(field.code).toBe('NOT_FOUND');
    expect(field.source).toBe('file:app.yaml');
    expect(field.path).toBe('db.password');
    expect(field.message).toBe(
      'file:app.yaml: db.password: the Vault secret secret/app/db (version 1) has no field "pasword" (fields: password, user)',
    );
    const missing = await rejectionOf(resolver.resolve('vault:secret/nope#x', at('x')));
    expect(missing.message).toBe('file:app.yaml: x: the Vault secret secret/nope does not exist');
    server.kv().softDelete('app/db');
    const deleted = await rejectionOf(resolver.resolve('vault:secret/app/db#user', at('u')));
    expect(deleted.message).toContain('current version 1 is deleted');
    for (const error of [field, missing, deleted]) expect(error.message).not.toContain('hunter2');
  });

  it('is PERMISSION when denied, SECRET when the reference is malformed', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { a: 1 });
    const denied = ctx.track(vaultRef({ address: server.url, token: 'nope', environ: () => ({}) }));
    const error = await rejectionOf(denied.resolve('vault:secret/app#a', at('a')));
    expect(error.code).toBe('PERMISSION');
    expect(error.message).toMatch(
      /^file:app\.yaml: a: resolving vault:secret\/app#a: Vault at .* denied reading secret\/data\/app/,
    );
    const resolver = ctx.track(vaultRef({ environ: env }));
    for (const bad of ['vault:#x', 'vault:secret#x', 'vault:secret/app#', 'vault:secret/../x#y']) {
      const malformed = await rejectionOf(resolver.resolve(bad, at('a')));
      expect(malformed.code).toBe('SECRET');
      expect(malformed.message).toMatch(/^file:app\.yaml: a: /);
    }
  });

  it('reads mounts with a slash when they are declared, and from a namespace', async () => {
    const server = await import('../vault-server/server.js').then((m) =>
      m.startVaultServer({ mounts: ['secret', 'team/kv'], namespaces: ['ns1'] }),
    );
    try {
      server.write('team/kv', 'app', { token: 't' });
      server.write('secret', 'app', { token: 'ns' }, 'ns1');
      const resolver = vaultRef({
        address: server.url,
        token: server.rootToken,
        mounts: ['team/kv'],
        environ: () => ({}),
      });
      expect(await resolver.resolve('vault:team/kv/app#token', at('t'))).toBe('t');
      const inNs = vaultRef({
        address: server.url,
        token: server.rootToken,
        namespace: 'ns1',
        environ: () => ({}),
      });
      expect(await inNs.resolve('vault:secret/app#token', at('t'))).toBe('ns');
    } finally {
      await server.close();
    }
  });
});

describe('parseVaultReference', () => {
  it('splits mount, path and field (property)', () => {
    const segment = fc.stringMatching(/^[a-z0-9_-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(
        segment,
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        fc.string({ minLength: 1 }),
        (mount, path, field) => {
          const parsed = parseVaultReference(`vault:${mount}/${path.join('/')}#${field}`);
          expect(parsed).toEqual({ mount, path: path.join('/'), field });
        },
      ),
    );
  });
});
