/** The Vault source's watch: polling metadata, deleted versions, 403 backoff, faults, close. */
import { describe, expect, it } from 'vitest';
import { vault } from '../../src/vault.js';
import { rejectionOf } from '../helpers/temp-dir.js';
import { isData, isMetadata, observe, useVault } from './vault-helpers.js';

const ctx = useVault();
const env = () => ({ VAULT_ADDR: ctx.server().url, VAULT_TOKEN: ctx.server().rootToken });

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
    expect(change.origins?.lookup(['greeting'])).toEqual({
      vaultPath: 'secret/app',
      version: 2,
      resolvedBy: 'vault',
    });
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
    // The denied metadata poll, its data/ fallback (also denied), then the next request: 400 ms later.
    const first = server.requests.findIndex((r) => r.status === 403);
    await expect.poll(() => server.requests.length, { timeout: 5000 }).toBeGreaterThan(first + 2);
    const [metadata, data, next] = server.requests.slice(first, first + 3);
    expect(metadata && isMetadata(metadata)).toBe(true);
    expect(data?.status).toBe(403);
    expect(next!.startedAt - data!.endedAt!).toBeGreaterThanOrEqual(390);
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

  it('recovers after 503s, HTML pages and dropped connections, reporting each failure and each recovery', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    const source = ctx.track(
      vault({ path: 'app', pollIntervalMs: 20, backoff: { initialMs: 20, maxMs: 50 }, environ: env }),
    );
    await source.read();
    const watched = observe(source);
    // Each failure is its own outage: reported, then its end hands the unchanged data over again.
    server.failNext(1, 503);
    expect((await watched.nextError()).message).toContain('503');
    expect((await watched.next()).data).toEqual({ v: 1 });
    server.failNext(1, 502, 'html');
    expect((await watched.nextError()).message).toContain('text/html');
    expect((await watched.next()).data).toEqual({ v: 1 });
    server.dropNext(1);
    expect((await watched.nextError()).message).toContain('cannot reach Vault');
    expect((await watched.next()).data).toEqual({ v: 1 });
    server.write('secret', 'app', { v: 2 });
    expect((await watched.next()).data).toEqual({ v: 2 });
    watched.stop();
  });

  it('waits as long as a 429 Retry-After asks before the next poll', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    const source = ctx.track(
      vault({ path: 'app', pollIntervalMs: 20, backoff: { initialMs: 20, maxMs: 50 }, environ: env }),
    );
    await source.read();
    const watched = observe(source);
    server.failNext(1, 429); // Retry-After: 1
    const limited = await watched.nextError();
    expect(limited.message).toContain('429');
    const first = server.requests.findIndex((r) => r.status === 429);
    await expect.poll(() => server.requests.length, { timeout: 5000 }).toBeGreaterThan(first + 1);
    const [limitedRequest, next] = server.requests.slice(first, first + 2);
    expect(next!.startedAt - limitedRequest!.endedAt!).toBeGreaterThanOrEqual(990);
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
