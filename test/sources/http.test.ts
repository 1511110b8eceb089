/** The HTTP source against a local node:http server: conditional polls, long polls, errors, limits. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeSet } from '../../src/reader/contract.js';
import type { ConfigError } from '../../src/reader/errors.js';
import { type HttpOptions, type HttpSource, http } from '../../src/sources/http/http.js';

interface Logged {
  url: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  authorization?: string;
  status: number;
}

/** A document server: `handle` answers (default: the current document with an ETag, 304 when matched). */
class DocServer {
  body = '{"greeting":"hello"}';
  type = 'application/json';
  version = 1;
  lastModified: string | undefined;
  useEtag = true;
  log: Logged[] = [];
  handle: ((req: IncomingMessage, res: ServerResponse) => boolean | undefined) | undefined;
  private held: Array<() => void> = [];
  private readonly server: Server;
  private waiters: Array<() => void> = [];
  port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      const original = res.writeHead.bind(res);
      res.writeHead = ((status: number, ...rest: unknown[]) => {
        this.log.push({
          url: req.url ?? '',
          status,
          ...(req.headers['if-none-match'] ? { ifNoneMatch: String(req.headers['if-none-match']) } : {}),
          ...(req.headers['if-modified-since']
            ? { ifModifiedSince: String(req.headers['if-modified-since']) }
            : {}),
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        });
        for (const waiter of this.waiters.splice(0)) waiter();
        return (original as (...args: unknown[]) => ServerResponse)(status, ...rest);
      }) as typeof res.writeHead;
      if (this.handle?.(req, res)) return;
      const url = new URL(req.url ?? '/', 'http://x');
      const etag = `"v${this.version}"`;
      const fresh = this.useEtag
        ? req.headers['if-none-match'] === etag
        : this.lastModified !== undefined && req.headers['if-modified-since'] === this.lastModified;
      const answer = () => {
        const current = this.useEtag ? req.headers['if-none-match'] === `"v${this.version}"` : fresh;
        if (current) {
          res.writeHead(304).end();
          return;
        }
        res.writeHead(200, {
          'content-type': this.type,
          'x-index': String(this.version),
          ...(this.useEtag ? { etag: `"v${this.version}"` } : {}),
          ...(this.lastModified ? { 'last-modified': this.lastModified } : {}),
        });
        res.end(this.body);
      };
      if (url.searchParams.has('wait') && fresh) {
        // A long poll on an unchanged document: held until the document changes.
        this.held.push(answer);
        req.on('close', () => {
          this.held = this.held.filter((held) => held !== answer);
        });
        return;
      }
      answer();
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Replaces the document (new version) and answers held long polls. */
  update(body: string): void {
    this.body = body;
    this.version++;
    for (const answer of this.held.splice(0)) answer();
  }

  /** Resolves once `count` responses have been written in total. */
  responses(count: number, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`fewer than ${count} responses within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const check = () => {
        if (this.log.length >= count) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Emissions and errors of a watch, awaitable in order. */
function record(source: HttpSource) {
  const changes: ChangeSet[] = [];
  const errors: ConfigError[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  source.onError?.((error) => {
    errors.push(error);
    wake();
  });
  const subscription = source.watch().subscribe((change) => {
    changes.push(change);
    wake();
  });
  const until = <T>(pick: () => T | undefined, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within 5 s`)), 5000);
      const check = () => {
        const found = pick();
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });
  return {
    changes,
    errors,
    subscription,
    change: (index: number) => until(() => changes[index], `change #${index}`),
    error: (index: number) => until(() => errors[index], `error #${index}`),
  };
}

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setup(options: Partial<HttpOptions> = {}, path = '/app.json') {
  const server = await new DocServer().start();
  cleanup.push(() => server.close());
  const source = http({
    url: `${server.url}${path}`,
    intervalMs: 10,
    backoff: { initialMs: 10, maxMs: 50 },
    ...options,
  });
  cleanup.push(() => source.close());
  return { server, source };
}

describe('http source: conditional polling', () => {
  it('reads the document with { url, etag } origins; a 304 is not a change; a new document is', async () => {
    const { server, source } = await setup();
    const first = await source.read();
    expect(first.data).toEqual({ greeting: 'hello' });
    expect(first.origins?.lookup(['greeting'])).toMatchObject({
      url: `${server.url}/app.json`,
      etag: '"v1"',
      line: 1,
    });
    expect(source.describeOrigin?.({ url: 'https://x/a.json', etag: '"e"', line: 2, column: 3 })).toBe(
      'https://x/a.json:2:3 (ETag "e")',
    );
    const watch = record(source);
    cleanup.push(() => watch.subscription.unsubscribe());
    await server.responses(4);
    expect(
      server.log.slice(1, 4).every((entry) => entry.status === 304 && entry.ifNoneMatch === '"v1"'),
    ).toBe(true);
    expect(watch.changes).toHaveLength(0);
    server.update('{"greeting":"bonjour"}');
    expect((await watch.change(0)).data).toEqual({ greeting: 'bonjour' });
  });

  it('uses Last-Modified / If-Modified-Since when the server sends no ETag', async () => {
    const { server, source } = await setup();
    server.useEtag = false;
    server.lastModified = 'Tue, 01 Dec 2026 10:00:00 GMT';
    await source.read();
    const watch = record(source);
    cleanup.push(() => watch.subscription.unsubscribe());
    await server.responses(3);
    expect(server.log[2]).toMatchObject({ status: 304, ifModifiedSince: server.lastModified });
  });

  it('YAML by Content-Type, with line origins; a parser of your own', async () => {
    const { server, source } = await setup({}, '/config');
    server.type = 'application/yaml';
    server.body = 'server:\n  port: 8080\n';
    const read = await source.read();
    expect(read.data).toEqual({ server: { port: 8080 } });
    expect(read.origins?.lookup(['server', 'port'])).toMatchObject({ line: 2, etag: '"v1"' });
    const custom = http({
      url: `${server.url}/config`,
      parser: { name: 'upper', parse: (text) => ({ data: { raw: text.trim().toUpperCase() } }) },
    });
    cleanup.push(() => custom.close());
    expect((await custom.read()).data).toEqual({ raw: 'SERVER:\n  PORT: 8080' });
  });
});

describe('http source: errors', () => {
  it('401/403 are PERMISSION; a watch reports it once and does not storm', async () => {
    const { server, source } = await setup({ backoff: { initialMs: 10, maxMs: 30 } });
    await source.read();
    server.handle = (_req, res) => {
      res.writeHead(403).end('denied');
      return true;
    };
    const denied = http({ url: `${server.url}/app.json` });
    cleanup.push(() => denied.close());
    expect(await denied.read().catch((e: ConfigError) => e.code)).toBe('PERMISSION');
    const watch = record(source);
    cleanup.push(() => watch.subscription.unsubscribe());
    expect((await watch.error(0)).code).toBe('PERMISSION');
    const before = server.log.length;
    await server.responses(before + 3);
    expect(watch.errors).toHaveLength(1);
  });

  it('404 is NOT_FOUND, or an empty layer with optional: true', async () => {
    const { server } = await setup();
    server.handle = (_req, res) => {
      res.writeHead(404).end();
      return true;
    };
    const required = http({ url: `${server.url}/missing.json` });
    const optional = http({ url: `${server.url}/missing.json`, optional: true });
    cleanup.push(
      () => required.close(),
      () => optional.close(),
    );
    expect(await required.read().catch((e: ConfigError) => e.code)).toBe('NOT_FOUND');
    expect((await optional.read()).data).toEqual({});
  });

  it('a 500 while watching is reported, the last good data kept, and the watch recovers', async () => {
    const { server, source } = await setup();
    await source.read();
    let failures = 3;
    server.handle = (_req, res) => {
      if (failures-- <= 0) return false;
      res.writeHead(500).end('oops');
      return true;
    };
    const watch = record(source);
    cleanup.push(() => watch.subscription.unsubscribe());
    const error = await watch.error(0);
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toMatch(/HTTP 500/);
    server.update('{"greeting":"back"}');
    expect((await watch.change(0)).data).toEqual({ greeting: 'back' });
    expect(watch.errors).toHaveLength(1);
  });

  it('a body past maxBodyBytes is SOURCE_READ naming the limit', async () => {
    const { server, source } = await setup({ maxBodyBytes: 1000 });
    server.body = JSON.stringify({ blob: 'x'.repeat(5000) });
    const error = (await source.read().catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toMatch(/larger than 1000 bytes/);
  });

  it('a server that never answers is TIMEOUT', async () => {
    const { server, source } = await setup({ timeoutMs: 100 });
    server.handle = () => true;
    expect(await source.read().catch((e: ConfigError) => e.code)).toBe('TIMEOUT');
  });

  it('follows redirects within the limit, dropping credentials across origins; a loop is an error', async () => {
    const { server } = await setup();
    const other = await new DocServer().start();
    cleanup.push(() => other.close());
    server.handle = (req, res) => {
      if (req.url === '/moved') res.writeHead(302, { location: '/app.json' }).end();
      else if (req.url === '/away') res.writeHead(307, { location: `${other.url}/app.json` }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else return false;
      return true;
    };
    const moved = http({ url: `${server.url}/moved`, headers: { authorization: 'Bearer t' } });
    const away = http({ url: `${server.url}/away`, headers: { authorization: 'Bearer t' } });
    const loop = http({ url: `${server.url}/loop`, maxRedirects: 3 });
    cleanup.push(
      () => moved.close(),
      () => away.close(),
      () => loop.close(),
    );
    expect((await moved.read()).data).toEqual({ greeting: 'hello' });
    expect(server.log.at(-1)?.authorization).toBe('Bearer t');
    expect((await away.read()).data).toEqual({ greeting: 'hello' });
    expect(other.log.at(-1)?.authorization).toBeUndefined();
    const error = (await loop.read().catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toMatch(/more than 3 redirects/);
  });
});

describe('http source: long poll', () => {
  it('holds requests with ?wait= and delivers a change as soon as the server answers', async () => {
    const { server, source } = await setup({
      longPoll: { waitMs: 30_000, indexHeader: 'x-index', minIntervalMs: 0 },
    });
    await source.read();
    const watch = record(source);
    cleanup.push(() => watch.subscription.unsubscribe());
    // The first long poll is held by the server (no response yet).
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(server.log).toHaveLength(1);
    server.update('{"greeting":"held"}');
    expect((await watch.change(0)).data).toEqual({ greeting: 'held' });
    const held = server.log[1];
    expect(held?.url).toMatch(/wait=30000ms/);
    server.update('{"greeting":"again"}');
    expect((await watch.change(1)).data).toEqual({ greeting: 'again' });
    expect(server.log.at(-1)?.url).toMatch(/index=2/);
  });
});

describe('http source: close', () => {
  it('close() completes the watch and later reads reject with CLOSED', async () => {
    const { source } = await setup();
    await source.read();
    let completed = false;
    source.watch().subscribe({ complete: () => (completed = true) });
    await source.close();
    expect(completed).toBe(true);
    expect(await source.read().catch((e: ConfigError) => e.code)).toBe('CLOSED');
  });
});
