/**
 * The inspector's 0.3 additions over HTTP, against a real file config: `/api/instance`, events keyed
 * by instance id + sequence (a restarted service has another id), errors marked `resolved` once a
 * later version publishes from their source, compressed answers, and `?origins=1` built incrementally.
 */

import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { request } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { inspector } from '../../src/inspector/index.js';
import { CLI, killAll, startTs, tempDir } from '../examples/child.js';
import { closeServer, listen, type Served, SseClient, serve, YAML } from './helpers.js';

let served: Served | undefined;
const clients: SseClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await served?.close();
  served = undefined;
  await killAll();
});

async function connect(path = '/api/events'): Promise<SseClient> {
  if (!served) throw new Error('not served');
  const client = await SseClient.connect(`${served.url}${path}`);
  clients.push(client);
  return client;
}

/** A raw GET (fetch would decode the body itself): status, headers and the undecoded bytes. */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A YAML document with `n` numbered leaves. */
const many = (n: number, changed = -1): string =>
  `items:\n${Array.from({ length: n }, (_, i) => `  k${i}: ${i === changed ? 'changed' : i}`).join('\n')}\n`;

describe('inspector health API', () => {
  it('GET /api/instance names the service, this process, its start and livecfg version', async () => {
    served = await serve({ service: 'orders' });
    const body = (await (await fetch(`${served.url}/api/instance`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ service: 'orders', host: hostname(), pid: process.pid, version: 1 });
    expect(body.instance).toMatch(/^[0-9a-f]{12}$/);
    expect(body.livecfgVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(Date.now()).toBeGreaterThanOrEqual(new Date(String(body.startedAt)).getTime()); // not in the future
    expect(typeof body.versionSince).toBe('string');
    const client = await connect();
    await client.until(() => client.hellos.length === 1, 'hello');
    expect(JSON.parse(client.hellos[0]?.data ?? '{}')).toMatchObject({ instance: body.instance, version: 1 });
  });

  it('a rejected edit is an error keyed instance:seq with every issue; the next version from the source resolves it', async () => {
    served = await serve();
    const { instance } = (await (await fetch(`${served.url}/api/instance`)).json()) as { instance: string };
    const client = await connect();
    await client.until(() => client.hellos.length === 1, 'hello');
    await served.write(`${YAML}oops: [unclosed\n`);
    await client.until(() => client.data('error').length === 1, 'an error');
    const [error] = client.data<{ id: string; seq: number; resolved?: unknown }>('error');
    expect(error?.id).toBe(`${instance}:${error?.seq}`);
    expect(error?.resolved).toBeUndefined();
    await served.write(YAML.replace('greeting: hello', 'greeting: fixed'));
    await client.until(() => client.data('resolved').length === 1, 'resolved');
    expect(client.data('resolved')[0]).toMatchObject({ id: error?.id, version: 2 });
    const errors = (await (await fetch(`${served.url}/api/errors`)).json()) as Array<Record<string, unknown>>;
    expect(errors[0]).toMatchObject({ id: error?.id, resolved: { version: 2 } });
    const later = await connect();
    await later.until(() => later.data('error').length === 1, 'the replayed error');
    expect(later.data('error')[0]).toMatchObject({ id: error?.id, resolved: { version: 2 } });
  });

  it('a restarted service has another instance id (and pid), so a page can tell it restarted', async () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir.path, 'app.yaml'), YAML);
      const ids: unknown[] = [];
      for (let run = 0; run < 2; run++) {
        const child = startTs(CLI, ['serve', '-f', 'app.yaml', '--port', '0'], { cwd: dir.path });
        const [, url] = await child.waitFor(/^inspector on (http:\/\/127\.0\.0\.1:\d+\/)$/m, {
          timeoutMs: 15_000,
        });
        const body = (await (await fetch(`${url}api/instance`)).json()) as Record<string, unknown>;
        expect(body.version).toBe(1);
        ids.push([body.instance, body.pid]);
        child.process.kill('SIGTERM');
        await child.waitExit(10_000);
      }
      expect((ids[0] as unknown[])[0]).not.toBe((ids[1] as unknown[])[0]);
      expect((ids[0] as unknown[])[1]).not.toBe((ids[1] as unknown[])[1]);
    } finally {
      dir.remove();
    }
  }, 40_000);

  it('answers br or gzip by Accept-Encoding, identical once decoded; small bodies stay plain', async () => {
    served = await serve({}, many(2000));
    const plain = await rawGet(`${served.url}/api/config?origins=1`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await rawGet(`${served.url}/api/config?origins=1`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
    const gzip = await rawGet(`${served.url}/api/config?origins=1`, {
      'accept-encoding': 'gzip;q=1, br;q=0',
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    const small = await rawGet(`${served.url}/api/instance`, { 'accept-encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('?origins=1 of the next version explains only the changed leaves, and equals a fresh build', async () => {
    served = await serve({}, many(500));
    const config = served.config;
    // The same config, counting the inspector's explain() calls.
    let explained = 0;
    const counted = new Proxy(config, {
      get(target, key) {
        if (key === 'explain') {
          return (path: readonly string[]) => {
            explained++;
            return target.explain(path as string[]);
          };
        }
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const counting = await listen(inspector(counted));
    const fresh: Array<{ server: Server; url: string }> = [];
    try {
      const before = (await (await fetch(`${counting.url}/api/config?origins=1`)).json()) as {
        origins: unknown[];
      };
      expect(before.origins).toHaveLength(500);
      expect(explained).toBe(500);
      const next = new Promise<void>((resolve) => {
        const subscription = config.changes$.subscribe(() => {
          subscription.unsubscribe();
          resolve();
        });
      });
      await served.write(many(501, 7));
      await next;
      explained = 0;
      const after = (await (await fetch(`${counting.url}/api/config?origins=1`)).json()) as {
        version: number;
        origins: Array<[string, string, string]>;
      };
      expect(after.version).toBe(2);
      expect(explained).toBe(2); // items.k7 changed, items.k500 is new
      expect(after.origins).toHaveLength(501);
      expect(after.origins.find(([path]) => path === 'items.k7')?.[2]).toMatch(/app\.yaml:9:3$/);
      expect(after.origins.find(([path]) => path === 'items.k500')?.[2]).toMatch(/app\.yaml:502:3$/);
      // A second inspector over the same config builds the same body from scratch.
      fresh.push(await listen(inspector(config)));
      const full = await (await fetch(`${fresh[0]?.url}/api/config?origins=1`)).json();
      expect(after).toEqual(full);
    } finally {
      for (const server of [counting, ...fresh]) await closeServer(server.server);
    }
  });
});
