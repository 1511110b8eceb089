/** The inspector's JSON API over a real file config and a real HTTP server. */

import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { mountBase } from '../../src/inspector/http.js';
import { inspector } from '../../src/inspector/index.js';
import { closeServer, listen, type Served, serve } from './helpers.js';

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

const SECRET_TEXTS = ['hunter2-db-password', 's3cr3t-url-pw'];

function expectNoSecret(text: string): void {
  for (const secret of SECRET_TEXTS) expect(text).not.toContain(secret);
}

async function get(path: string, init: RequestInit = {}): Promise<Response> {
  if (!served) throw new Error('not served');
  return fetch(`${served.url}${path}`, init);
}

describe('inspector HTTP API', () => {
  it('GET /api/config: version and the redacted value, JSON, with an ETag of the version and 304', async () => {
    served = await serve();
    const response = await get('/api/config');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await response.text();
    expectNoSecret(text);
    const body = JSON.parse(text) as { version: number; value: Record<string, Record<string, unknown>> };
    expect(body.version).toBe(1);
    expect(body.value.server).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(body.value.db?.password).toBe('[redacted]');
    expect(body.value.db?.url).toBe('postgres://app:[redacted]@db.internal:5432/app');

    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+-1"$/);
    const again = await get('/api/config', { headers: { 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    // A new version: a new ETag, and the old one no longer matches.
    const changed = new Promise((resolve) => served?.config.changes$.subscribe(resolve));
    await served.write('greeting: bye\n');
    await changed;
    const fresh = await get('/api/config', { headers: { 'if-none-match': etag as string } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toMatch(/-2"$/);
    expect(((await fresh.json()) as { value: unknown }).value).toEqual({ greeting: 'bye' });
  });

  it('GET /api/config?origins=1 lists each leaf with its source and file:line:column', async () => {
    served = await serve();
    const body = (await (await get('/api/config?origins=1')).json()) as {
      origins: Array<[string, string, string]>;
    };
    const port = body.origins.find(([path]) => path === 'server.port');
    expect(port?.[1]).toBe(`file:${served.file}`);
    expect(port?.[2]).toBe(`${served.file}:3:3`);
    expect(body.origins.map(([path]) => path)).toContain('tags'); // arrays are leaves
    expectNoSecret(JSON.stringify(body));
  });

  it('GET /api/explain: the redacted explain(); dotted or JSON-array paths; 404 when unset, 400 when bad', async () => {
    served = await serve();
    const response = await get('/api/explain?path=server.port');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      path: 'server.port',
      value: 8080,
      source: `file:${served.file}`,
      origin: { file: served.file, line: 3, column: 3 },
      describedOrigin: `${served.file}:3:3`,
      overridden: [],
    });
    const secret = await get(`/api/explain?path=${encodeURIComponent('["db","password"]')}`);
    const secretText = await secret.text();
    expectNoSecret(secretText);
    expect(JSON.parse(secretText)).toMatchObject({ value: '[redacted]', secret: true });

    const missing = await get('/api/explain?path=no.such.key');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no.such.key is not set' } });
    expect((await get('/api/explain')).status).toBe(400);
    expect((await get('/api/explain?path=%5Bnot-json')).status).toBe(400);
  });

  it('GET /api/sources and /api/history: JSON arrays, redacted, newest first', async () => {
    served = await serve();
    const sources = (await (await get('/api/sources')).json()) as Array<Record<string, unknown>>;
    expect(sources).toEqual([
      expect.objectContaining({ name: `file:${served.file}`, status: 'ok', lastError: null }),
    ]);
    const changed = new Promise((resolve) => served?.config.changes$.subscribe(resolve));
    await served.write(
      'db:\n  password: new-db-password\n  url: postgres://app:other-pw@db:5432/app\ngreeting: hi\n',
    );
    await changed;
    const response = await get('/api/history');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await response.text();
    for (const secret of [...SECRET_TEXTS, 'new-db-password', 'other-pw']) expect(text).not.toContain(secret);
    const history = JSON.parse(text) as Array<{ version: number; changes: Array<Record<string, unknown>> }>;
    expect(history[0]?.version).toBe(2);
    const password = history[0]?.changes.find((change) => change.path === 'db.password');
    expect(password).toMatchObject({ previous: '[redacted]', value: '[redacted]' });
    const greeting = history[0]?.changes.find((change) => change.path === 'greeting');
    expect(greeting).toMatchObject({ previous: 'hello', value: 'hi', describedOrigin: `${served.file}:4:1` });
  });

  it('GET / is the self-contained page: text/html, a CSP allowing only itself, the title escaped', async () => {
    served = await serve({ title: 'Orders <prod> & "eu"' });
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    const html = await response.text();
    expect(html).toContain('<title>Orders &#60;prod&#62; &#38; &#34;eu&#34;</title>');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="(?!data:)/); // no external assets
    expectNoSecret(html);
  });

  it('404 JSON for unknown paths, 405 for methods other than GET/HEAD, HEAD without a body', async () => {
    served = await serve();
    const unknown = await get('/api/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await get('/__proto__')).status).toBe(404);
    expect((await get('/constructor')).status).toBe(404);

    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await get('/api/config', { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    const head = await get('/api/config', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(10);
    expect(await head.text()).toBe('');
  });

  it('authorize: true lets through; false → 403; a throw or a rejection → 401; a denial object → its status', async () => {
    served = await serve({
      authorize: async (request) => {
        const auth = request.headers.authorization;
        if (auth === 'Bearer good') return true;
        if (auth === 'Bearer boom') throw new Error('bad token');
        if (auth === undefined) return { status: 401, headers: { 'www-authenticate': 'Bearer' } };
        return false;
      },
    });
    const as = (token?: string) =>
      get('/api/config', token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await as('good')).status).toBe(200);
    const forbidden = await as('other');
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await as('boom')).status).toBe(401);
    const anonymous = await as();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    // Unknown paths and the stream are behind authorize too.
    expect((await get('/nope')).status).toBe(401);
    expect((await get('/api/events')).status).toBe(401);
  });

  it('secrets option: extra paths redacted in every body, and their values masked in messages', async () => {
    served = await serve({ secrets: ['server.host', 'tags'] });
    const text = await (await get('/api/config')).text();
    const body = JSON.parse(text) as { value: { server: { host: string }; tags: string[] } };
    expect(body.value.server.host).toBe('[redacted]');
    expect(body.value.tags).toEqual(['[redacted]', '[redacted]']);
    const explained = (await (await get('/api/explain?path=server.host')).json()) as { value: unknown };
    expect(explained.value).toBe('[redacted]');
    expect(((await (await get('/api/explain?path=server.port')).json()) as { value: unknown }).value).toBe(
      8080,
    );
  });

  it('mounted under a prefix (express/connect style): routes on req.url, the page links to the prefix', async () => {
    served = await serve();
    const handler = inspector(served.config);
    // A minimal connect-style mount: strip the prefix, keep originalUrl, hand over `next`.
    const { server, url } = await listen((request, response) => {
      const original = request.url ?? '/';
      if (!original.startsWith('/ops/config')) {
        response.writeHead(418).end();
        return;
      }
      Object.assign(request, { originalUrl: original, url: original.slice('/ops/config'.length) || '/' });
      handler(request, response, () => response.writeHead(500).end());
    });
    try {
      const page = await (await fetch(`${url}/ops/config/`)).text();
      expect(page).toContain('<meta name="livecfg-base" content="/ops/config/">');
      const noSlash = await (await fetch(`${url}/ops/config`)).text();
      expect(noSlash).toContain('<meta name="livecfg-base" content="/ops/config/">');
      const api = await fetch(`${url}/ops/config/api/config`);
      expect(((await api.json()) as { version: number }).version).toBe(1);
    } finally {
      handler.close();
      await closeServer(server);
    }
  });

  it('rejects bad options with INVALID_ARGUMENT', async () => {
    served = await serve();
    const config = served.config;
    expect(() => inspector(config, { history: -1 })).toThrow(/history must be an integer/);
    expect(() => inspector(config, { maxStreams: 1.5 })).toThrow(/maxStreams/);
  });

  it('mountBase: the prefix from originalUrl, never a protocol-relative //host', () => {
    const base = (url: string, originalUrl?: string): string =>
      mountBase({ url, ...(originalUrl === undefined ? {} : { originalUrl }) } as unknown as IncomingMessage);
    expect(base('/api/config')).toBe('/');
    expect(base('/', '/ops/config')).toBe('/ops/config/');
    expect(base('/?x=1', '/ops/config?x=1')).toBe('/ops/config/');
    expect(base('/api/events', '/ops/config/api/events')).toBe('/ops/config/');
    expect(base('/', '//evil.example/')).toBe('/evil.example/');
    expect(base('/', '/')).toBe('/');
  });
});
