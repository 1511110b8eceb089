/**
 * Issue 26 item 15: one Vault outage, however long and whatever the transport says on each poll
 * (connection refused, reset, socket closed), is reported once, and its end once ("recovered": the
 * watch hands the unchanged data again, so the loader marks the source healthy).
 */
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/index.js';
import { vault } from '../../src/vault.js';
import { eventually } from '../examples/child.js';
import { observe, useVault } from './vault-helpers.js';

const ctx = useVault();
const env = () => ({ VAULT_ADDR: ctx.server().url, VAULT_TOKEN: ctx.server().rootToken });
const fast = { pollIntervalMs: 20, backoff: { initialMs: 20, maxMs: 40 } };

/**
 * While Vault is down, a listener on its port that resets every connection (as a proxy or a
 * restarting pod does); resolves once it has reset `count` polls, then frees the port.
 */
async function resetPolls(port: number, count: number): Promise<void> {
  let resets = 0;
  let done: () => void = () => {};
  const enough = new Promise<void>((resolve) => {
    done = resolve;
  });
  const server: Server = createServer((socket) => {
    socket.resetAndDestroy();
    if (++resets >= count) done();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const timer = setTimeout(done, 10_000);
  try {
    await enough;
    expect(resets, 'polls reset within 10 s').toBeGreaterThanOrEqual(count);
  } finally {
    clearTimeout(timer);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('vault source: one report per outage (issue 26 item 15)', () => {
  it('an outage spanning many polls (refused, then reset) is one error, and its end one re-emission of the unchanged data', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    const source = ctx.track(vault({ path: 'app', ...fast, environ: env }));
    await source.read();
    const watched = observe(source);
    await server.down();
    const error = await watched.nextError();
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toContain('cannot reach Vault');
    await resetPolls(server.port, 8);
    await server.up();
    // Recovered: the same data once more, so whoever watches knows the source is healthy again.
    expect((await watched.next()).data).toEqual({ v: 1 });
    // Barrier: a new version is published, and nothing else was reported meanwhile.
    server.write('secret', 'app', { v: 2 });
    expect((await watched.next()).data).toEqual({ v: 2 });
    // No error is queued (checked now, after the barrier: no waiting on a guessed time).
    await expect(watched.nextError(1)).rejects.toThrow(/no error/);
    watched.stop();
  });

  it('in loadConfig: errors$ gets one error per outage, and sources() says ok again once Vault is back', async () => {
    const server = ctx.server();
    server.write('secret', 'app', { v: 1 });
    const config: Config = ctx.track(
      await loadConfig({ sources: [vault({ path: 'app', ...fast, environ: env })] }),
    );
    const errors: string[] = [];
    config.errors$.subscribe((error) => errors.push(error.message));
    for (let outage = 1; outage <= 2; outage++) {
      await server.down();
      await eventually(async () => (errors.length === outage ? true : undefined), { what: 'the error' });
      await resetPolls(server.port, 5);
      // Refused, then reset or closed sockets: still the one outage.
      expect(errors).toHaveLength(outage);
      expect(config.sources()[0]?.status).toBe('error');
      await server.up();
      await eventually(async () => (config.sources()[0]?.status === 'ok' ? true : undefined), {
        what: 'sources() ok',
      });
    }
    server.write('secret', 'app', { v: 2 });
    await eventually(async () => (config.get('v') === 2 ? true : undefined), { what: 'v2' });
    expect(errors).toHaveLength(2);
    expect(config.version).toBe(2);
  });
});
