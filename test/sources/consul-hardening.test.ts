// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} references are the subject of these tests
/**
 * Consul answers that are not what Consul sends (issue 11, items 5, 7 and 9): an HTML page or a JSON
 * object with status 200, invalid base64, a huge body, and `${VAR}` in a key document.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import type { ConfigError } from '../../src/reader/errors.js';
import { consul } from '../../src/sources/consul/consul.js';
import { startConsulServer } from '../consul-server/server.js';

/** A fake "Consul" whose answer the test sets; counts requests. */
interface FakeConsul {
  port: number;
  answer: { status: number; type: string; body: string | Buffer; index?: number };
  requests: number;
  close(): Promise<void>;
}

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function fakeConsul(answer: FakeConsul['answer']): Promise<FakeConsul> {
  const fake = { answer, requests: 0 } as FakeConsul;
  const index = 1;
  const server: Server = createServer((req, res) => {
    fake.requests++;
    const blocking = new URL(req.url ?? '/', 'http://x').searchParams.get('index');
    // A blocking request on an unchanged answer: hold it a little, like Consul's wait.
    const send = () => {
      res.writeHead(fake.answer.status, {
        'content-type': fake.answer.type,
        'x-consul-index': String(fake.answer.index ?? index),
      });
      res.end(fake.answer.body);
    };
    if (blocking !== null && Number(blocking) >= (fake.answer.index ?? index)) setTimeout(send, 50);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.port = (server.address() as AddressInfo).port;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  servers.push(fake);
  return fake;
}

const entry = (key: string, value: string, modifyIndex = 5) => ({
  Key: key,
  Value: Buffer.from(value).toString('base64'),
  Flags: 0,
  LockIndex: 0,
  CreateIndex: 1,
  ModifyIndex: modifyIndex,
});

describe('Consul 200 answers that are not KV entries', () => {
  it('an HTML page from a proxy is SOURCE_READ naming the status and content type, at startup', async () => {
    const fake = await fakeConsul({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<html>login</html>',
    });
    const source = consul({ prefix: 'app/', host: '127.0.0.1', port: fake.port, environ: () => ({}) });
    const error = (await source.read().catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toMatch(/HTTP 200/);
    expect(error.message).toMatch(/text\/html/);
    expect(error.message).toMatch(/not JSON/);
    expect(error.message).not.toMatch(/login/);
    await source.close();
  });

  it('a JSON object is SOURCE_READ, and a watch keeps the last good data', async () => {
    const fake = await fakeConsul({
      status: 200,
      type: 'application/json',
      body: JSON.stringify([entry('app/port', '8080', 5)]),
      index: 5,
    });
    const source = consul({
      prefix: 'app/',
      host: '127.0.0.1',
      port: fake.port,
      environ: () => ({}),
      backoff: { initialMs: 20, maxMs: 100 },
    });
    const config = await loadConfig({ sources: [source] });
    try {
      expect(config.get('port')).toBe(8080);
      const reported = firstValueFrom(
        config.errors$.pipe(
          filter((e) => e.code === 'SOURCE_READ'),
          timeout(5000),
        ),
      );
      fake.answer = { status: 200, type: 'application/json', body: '{"error":"maintenance"}', index: 6 };
      const error = await reported;
      expect(error.message).toMatch(/HTTP 200 \(application\/json\)/);
      expect(error.message).toMatch(/a JSON object instead of a JSON array/);
      expect(config.get('port')).toBe(8080);
    } finally {
      await config.close();
    }
  });

  it('an invalid base64 Value is an error naming the key, not garbage text', async () => {
    const bad = { ...entry('app/name', 'x'), Value: 'not*base64!' };
    const fake = await fakeConsul({ status: 200, type: 'application/json', body: JSON.stringify([bad]) });
    const source = consul({ prefix: 'app/', host: '127.0.0.1', port: fake.port, environ: () => ({}) });
    const error = (await source.read().catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toMatch(/"app\/name" is not valid base64/);
    await source.close();
  });

  it('a body past maxBodyBytes is SOURCE_READ naming the limit (streamed, not buffered whole)', async () => {
    const big = JSON.stringify([entry('app/blob', 'x'.repeat(300_000))]);
    const fake = await fakeConsul({ status: 200, type: 'application/json', body: big });
    const source = consul({
      prefix: 'app/',
      host: '127.0.0.1',
      port: fake.port,
      environ: () => ({}),
      maxBodyBytes: 100_000,
    });
    const error = (await source.read().catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toMatch(/more than 100000 bytes/);
    const roomy = consul({ prefix: 'app/', host: '127.0.0.1', port: fake.port, environ: () => ({}) });
    expect(((await roomy.read()).data.blob as string).length).toBe(300_000);
    await source.close();
    await roomy.close();
  });
});

describe('Consul key documents and the environment', () => {
  it('does not interpolate ${VAR} unless interpolate: true', async () => {
    const server = await startConsulServer();
    servers.push(server);
    server.put('app.json', '{"token":"${SECRET_TOKEN}","plain":"${NOPE:-x}"}');
    const environ = () => ({ SECRET_TOKEN: 's3cr3t' });
    const connection = { host: '127.0.0.1', port: server.port, environ };
    const off = consul({ key: 'app.json', ...connection });
    expect((await off.read()).data).toEqual({ token: '${SECRET_TOKEN}', plain: '${NOPE:-x}' });
    const on = consul({ key: 'app.json', interpolate: true, ...connection });
    expect((await on.read()).data).toEqual({ token: 's3cr3t', plain: 'x' });
    await off.close();
    await on.close();
  });
});
