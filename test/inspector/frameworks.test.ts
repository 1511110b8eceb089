/** The inspector mounted under a prefix in real express and fastify (@fastify/middie) apps. */
import type { AddressInfo } from 'node:net';
import middie from '@fastify/middie';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { inspector } from '../../src/inspector/index.js';
import { closeServer, type Served, SseClient, serve } from './helpers.js';

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

/** What every mount must do: page linked to the prefix, API, 404/405, live events, next() untouched. */
async function checkMounted(base: string): Promise<void> {
  if (!served) throw new Error('not served');
  for (const path of ['/ops/config/', '/ops/config']) {
    const page = await fetch(`${base}${path}`);
    expect(page.status, path).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<meta name="livecfg-base" content="/ops/config/">');
  }
  const api = await fetch(`${base}/ops/config/api/config`);
  expect(api.status).toBe(200);
  const body = (await api.json()) as { version: number; value: { db: { password: string } } };
  expect(body.value.db.password).toBe('[redacted]');
  expect((await fetch(`${base}/ops/config/api/explain?path=server.port`)).status).toBe(200);
  expect((await fetch(`${base}/ops/config/api/nope`)).status).toBe(404);
  expect((await fetch(`${base}/ops/config/api/config`, { method: 'DELETE' })).status).toBe(405);
  expect(await (await fetch(`${base}/app`)).text()).toBe('the app'); // other routes untouched

  const events = await SseClient.connect(`${base}/ops/config/api/events`);
  try {
    while (served.handler.streams === 0) await new Promise((resolve) => setImmediate(resolve));
    await served.write('greeting: mounted\n');
    await events.until(() => events.data('change').length > 0, 'a change event');
    expect(events.data('change')[0]).toMatchObject({ version: 2 });
  } finally {
    events.close();
  }
}

describe('inspector mounted in frameworks', () => {
  it('express: app.use("/ops/config", inspector(config))', async () => {
    served = await serve();
    const app = express();
    app.use('/ops/config', served.handler);
    app.get('/app', (_request, response) => {
      response.send('the app');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await checkMounted(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      await closeServer(server);
    }
  });

  it('fastify: fastify.use("/ops/config", inspector(config)) with @fastify/middie', async () => {
    served = await serve();
    const handler = inspector(served.config);
    served.handler.close();
    Object.assign(served, { handler });
    const app = Fastify();
    await app.register(middie);
    app.use('/ops/config', handler);
    app.get('/app', async () => 'the app');
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      await checkMounted(address);
    } finally {
      handler.close();
      await app.close();
    }
  });
});
