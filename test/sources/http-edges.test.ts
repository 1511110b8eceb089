/**
 * Issue 26 items 12 and 13, against real node:http servers: a cross-origin redirect carries none of the
 * caller's headers but Accept and User-Agent (`redirects: 'same-origin'` refuses it), and a 200 with an
 * empty body is an error that keeps the last good config unless `allowEmpty: true`.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstValueFrom, type Observable, timeout } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Config, ConfigError, loadConfig } from '../../src/index.js';
import { HttpClient } from '../../src/source-kit/http-client.js';
import { http } from '../../src/sources/http/http.js';

/** The next value of an observable, or a rejection after 5 s. */
function nextValue<T>(observable: Observable<T>): Promise<T> {
  return firstValueFrom(observable.pipe(timeout(5000)));
}

/** A server that logs each request's headers; `answer` decides the response. */
class Recorder {
  readonly requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"from":"recorder"}');
  };
  private readonly server: Server = createServer((req, res) => {
    this.requests.push({ url: req.url ?? '', headers: req.headers });
    this.answer(req, res);
  });
  url = '';

  async start(host = '127.0.0.1'): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function recorder(): Promise<Recorder> {
  const server = await new Recorder().start();
  cleanup.push(() => server.close());
  return server;
}

/** Caller headers a config server may need: every one but Accept and User-Agent is a credential here. */
const CALLER_HEADERS = {
  authorization: 'Bearer t-auth',
  cookie: 'session=c1',
  'x-api-key': 'k-api',
  'x-auth-token': 't-x-auth',
  'private-token': 't-gitlab',
  'x-custom-secret': 's-custom',
  'user-agent': 'my-service/1.0',
  accept: 'application/json',
};

describe('http(): headers on redirects (issue 26 item 12)', () => {
  it('a cross-origin redirect carries only Accept and User-Agent of the caller headers; same-origin carries all', async () => {
    const origin = await recorder();
    const other = await recorder();
    origin.answer = (req, res) => {
      if (req.url === '/same') res.writeHead(302, { location: '/doc' }).end();
      else if (req.url === '/away') res.writeHead(307, { location: `${other.url}/doc` }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"from":"origin"}');
    };
    const same = http({ url: `${origin.url}/same`, headers: CALLER_HEADERS });
    const away = http({ url: `${origin.url}/away`, headers: CALLER_HEADERS });
    cleanup.push(
      () => same.close(),
      () => away.close(),
    );
    expect((await same.read()).data).toEqual({ from: 'origin' });
    const followed = origin.requests.at(-1)?.headers ?? {};
    for (const [name, value] of Object.entries(CALLER_HEADERS)) expect(followed[name], name).toBe(value);

    expect((await away.read()).data).toEqual({ from: 'recorder' });
    expect(other.requests).toHaveLength(1);
    const arrived = other.requests[0]?.headers ?? {};
    expect(arrived['user-agent']).toBe('my-service/1.0');
    expect(arrived.accept).toBe('application/json');
    const text = JSON.stringify(arrived);
    for (const value of ['t-auth', 'c1', 'k-api', 't-x-auth', 't-gitlab', 's-custom']) {
      expect(text, value).not.toContain(value);
    }
  });

  it('once stripped, headers stay stripped when a later redirect comes back to the first origin', async () => {
    const origin = await recorder();
    const other = await recorder();
    origin.answer = (req, res) => {
      if (req.url === '/start') res.writeHead(302, { location: `${other.url}/bounce` }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"back":true}');
    };
    other.answer = (_req, res) => res.writeHead(302, { location: `${origin.url}/doc` }).end();
    const client = new HttpClient();
    cleanup.push(() => client.destroy());
    const response = await client.get(`${origin.url}/start`, {
      headers: { 'x-api-key': 'k-api' },
      timeoutMs: 5000,
      maxRedirects: 5,
      background: false,
    });
    expect(response.status).toBe(200);
    expect(origin.requests.map((r) => [r.url, r.headers['x-api-key']])).toEqual([
      ['/start', 'k-api'],
      ['/doc', undefined],
    ]);
  });

  it("redirects: 'same-origin' follows same-origin redirects and refuses another origin with a clear error", async () => {
    const origin = await recorder();
    const other = await recorder();
    origin.answer = (req, res) => {
      if (req.url === '/same') res.writeHead(301, { location: '/doc' }).end();
      else if (req.url === '/away') res.writeHead(302, { location: `${other.url}/doc` }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"from":"origin"}');
    };
    const same = http({ url: `${origin.url}/same`, redirects: 'same-origin', headers: CALLER_HEADERS });
    const away = http({ url: `${origin.url}/away`, redirects: 'same-origin', headers: CALLER_HEADERS });
    cleanup.push(
      () => same.close(),
      () => away.close(),
    );
    expect((await same.read()).data).toEqual({ from: 'origin' });
    const error = (await away.read().catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toContain(`redirected to another origin (${other.url})`);
    expect(error.message).toContain("redirects: 'same-origin'");
    expect(other.requests).toHaveLength(0);
  });

  it('rejects an unknown redirects option', () => {
    expect(() => http({ url: 'http://127.0.0.1:1/', redirects: 'any' as never })).toThrow(/redirects/);
  });
});

describe('http(): empty bodies (issue 26 item 13)', () => {
  it('a 200 with an empty or whitespace-only body is SOURCE_READ at startup', async () => {
    const server = await recorder();
    for (const body of ['', '   \n\t ', '\uFEFF\n']) {
      server.answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      const source = http({ url: `${server.url}/app.json` });
      cleanup.push(() => source.close());
      const error = (await source.read().catch((e: unknown) => e)) as ConfigError;
      expect(error, JSON.stringify(body)).toBeInstanceOf(ConfigError);
      expect(error.code).toBe('SOURCE_READ');
      expect(error.message).toMatch(/empty body/);
      expect(error.message).toContain('allowEmpty');
    }
  });

  it('while watching: an empty body is reported on errors$ and the last good config stays; the next document publishes', async () => {
    const server = await recorder();
    let body = '{"greeting":"hello","port":8080}';
    server.answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    const config: Config = await loadConfig({
      sources: [
        http({ url: `${server.url}/app.json`, intervalMs: 10, backoff: { initialMs: 10, maxMs: 20 } }),
      ],
    });
    cleanup.push(() => config.close());
    const error = nextValue(config.errors$);
    body = '  \n';
    expect((await error).message).toMatch(/empty body/);
    expect(config.value).toEqual({ greeting: 'hello', port: 8080 });
    expect(config.version).toBe(1);
    const change = nextValue(config.changes$);
    body = '{"greeting":"back"}';
    expect((await change).current).toEqual({ greeting: 'back' });
  });

  it('allowEmpty: true makes an empty body an empty layer', async () => {
    const server = await recorder();
    server.answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(' \n');
    const source = http({ url: `${server.url}/app.json`, allowEmpty: true });
    cleanup.push(() => source.close());
    expect((await source.read()).data).toEqual({});
  });
});
