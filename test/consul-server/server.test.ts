import { EventEmitter } from 'node:events';
import Consul from 'consul';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConsulTestServer, startConsulServer } from './server.js';

let server: ConsulTestServer;
const open: ConsulTestServer[] = [];

async function start(options: Parameters<typeof startConsulServer>[0] = {}): Promise<ConsulTestServer> {
  const started = await startConsulServer({ random: () => 0, ...options });
  open.push(started);
  return started;
}

beforeEach(async () => {
  server = await start();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function kv(path: string, init: RequestInit = {}, target = server): Promise<Response> {
  return fetch(`${target.url}/v1/kv/${path}`, init);
}

function put(path: string, body: string, target = server): Promise<Response> {
  return kv(path, { method: 'PUT', body }, target);
}

const index = (res: Response) => Number(res.headers.get('x-consul-index'));

describe('consul test server over raw HTTP', () => {
  it('stores a PUT body raw and returns entries in Consul field order', async () => {
    const written = await put('config/app/port', '8080');
    expect(written.status).toBe(200);
    expect(written.headers.get('content-type')).toBe('application/json');
    expect(await written.text()).toBe('true');

    const res = await kv('config/app/port');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(
      '[{"LockIndex":0,"Key":"config/app/port","Flags":0,"Value":"ODA4MA==","CreateIndex":11,"ModifyIndex":11}]',
    );
    expect(res.headers.get('x-consul-index')).toBe('11');
    expect(res.headers.get('x-consul-knownleader')).toBe('true');
    expect(res.headers.get('x-consul-lastcontact')).toBe('0');
    expect(res.headers.get('x-consul-default-acl-policy')).toBe('allow');
  });

  it('answers a missing key with an empty 404 that carries a non-zero index', async () => {
    const res = await kv('nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-length')).toBe('0');
    expect(await res.text()).toBe('');
    expect(res.headers.get('x-consul-index')).toBe('1');
  });

  it('stores an empty body as a null Value and keeps flags', async () => {
    await kv('folder/', { method: 'PUT' });
    await kv('flagged?flags=42', { method: 'PUT', body: 'x' });
    const [folder] = (await (await kv('folder/')).json()) as Array<{ Value: unknown }>;
    expect(folder?.Value).toBeNull();
    const [flagged] = (await (await kv('flagged')).json()) as Array<{ Flags: number }>;
    expect(flagged?.Flags).toBe(42);
    const bad = await kv('flagged?flags=abc', { method: 'PUT', body: 'x' });
    expect(bad.status).toBe(500);
    expect(await bad.text()).toBe('strconv.ParseUint: parsing "abc": invalid syntax');
  });

  it('lists a prefix with ?recurse (presence-only) at the highest ModifyIndex under it', async () => {
    await put('app/b', '2');
    await put('app/a', '1');
    await put('other/c', '3');
    const res = await kv('app/?recurse=false');
    const body = (await res.json()) as Array<{ Key: string }>;
    expect(body.map((entry) => entry.Key)).toEqual(['app/a', 'app/b']);
    expect(index(res)).toBe(12);
    expect((await kv('empty/?recurse')).status).toBe(404);
  });

  it('lists key names with ?keys and a separator', async () => {
    expect(await (await kv('?keys')).json()).toEqual([]);
    for (const key of ['web/bar', 'web/foo', 'web/subdir/x', 'web/subdir/y']) await put(key, 'v');
    expect(await (await kv('web/?keys&separator=/')).json()).toEqual(['web/bar', 'web/foo', 'web/subdir/']);
    expect(await (await kv('web/?keys&seperator=/')).json()).toHaveLength(3);
    expect(await (await kv('web/?keys')).json()).toHaveLength(4);
    expect((await kv('none/?keys')).status).toBe(404);
  });

  it('returns the bare value with ?raw and no content sniffing', async () => {
    await put('page', '<html>hi</html>');
    const res = await kv('page?raw');
    expect(await res.text()).toBe('<html>hi</html>');
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe('sandbox');
  });

  it('applies cas on PUT and DELETE, and deletes recursively', async () => {
    expect(await (await put('k?cas=0', '1')).json()).toBe(true);
    expect(await (await put('k?cas=0', '2')).json()).toBe(false);
    const current = index(await kv('k'));
    expect(await (await put(`k?cas=${current}`, '3')).json()).toBe(true);
    expect(await (await kv(`k?cas=${current}`, { method: 'DELETE' })).json()).toBe(false);
    expect(await (await kv('k', { method: 'DELETE' })).json()).toBe(true);
    await put('tree/a', '1');
    await put('tree/b/c', '2');
    expect(await (await kv('tree/?recurse', { method: 'DELETE' })).json()).toBe(true);
    expect(server.keys('tree/')).toEqual([]);
    const conflict = await kv('tree/?recurse&cas=1', { method: 'DELETE' });
    expect(conflict.status).toBe(400);
    expect(await conflict.text()).toBe('Conflicting flags: recurse&cas=1\n');
  });

  it('rejects bad requests the way Consul does', async () => {
    const cases: Array<[string, RequestInit, number, string]> = [
      ['', {}, 400, 'Missing key name'],
      ['', { method: 'PUT', body: 'x' }, 400, 'Missing key name'],
      ['k?index=1&wait=forever', {}, 400, 'Invalid wait time'],
      ['k?index=-1', {}, 400, 'Invalid index'],
      ['k?dc=mars', {}, 500, 'No path to datacenter'],
      ['k', { method: 'POST', body: 'x' }, 405, 'method POST not allowed'],
    ];
    for (const [path, init, status, message] of cases) {
      const res = await kv(path, init);
      expect([path, res.status, await res.text()]).toEqual([path, status, message]);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    }
    expect((await kv('k', { method: 'PATCH' })).headers.get('allow')).toBe('GET,PUT,DELETE');
    expect((await kv('k?dc=dc1')).status).toBe(404);
  });

  it('reports the leader on /v1/status/leader', async () => {
    const res = await fetch(`${server.url}/v1/status/leader`);
    expect(await res.json()).toBe('127.0.0.1:8300');
  });
});

describe('blocking queries', () => {
  it('parks until a write under the prefix, and a sibling prefix does not wake it', async () => {
    await put('app/a', '1');
    const start = index(await kv('app/?recurse'));
    const parked = server.nextEvent('park');
    const pending = kv(`app/?recurse&index=${start}&wait=10s`);
    await parked;
    server.put('application/x', 'sibling');
    server.put('other/y', 'sibling');
    expect(server.pendingBlocking).toBe(1);
    server.put('app/b', '2');
    const res = await pending;
    expect(index(res)).toBeGreaterThan(start);
    expect(((await res.json()) as unknown[]).length).toBe(2);
  });

  it('times out after wait with the same index', async () => {
    await put('app/a', '1');
    const start = index(await kv('app/?recurse'));
    const began = Date.now();
    server.put('elsewhere', 'x');
    const res = await kv(`app/?recurse&index=${start}&wait=150ms`);
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
    expect(index(res)).toBe(start);
  });

  it('wakes a prefix watcher when a key under it is deleted (tombstone index)', async () => {
    await put('app/a', '1');
    await put('app/b', '2');
    server.put('zzz', 'later write elsewhere');
    const start = index(await kv('app/?recurse'));
    const pending = kv(`app/?recurse&index=${start}&wait=10s`);
    await server.nextEvent('park');
    server.delete('app/a');
    const res = await pending;
    expect(index(res)).toBeGreaterThan(start);
    expect(((await res.json()) as Array<{ Key: string }>).map((e) => e.Key)).toEqual(['app/b']);
  });

  it('lets a client block on a missing key (404) until it appears', async () => {
    const missing = await kv('later');
    expect(missing.status).toBe(404);
    const pending = kv(`later?index=${index(missing)}&wait=10s`);
    await server.nextEvent('park');
    server.put('later', 'here');
    const res = await pending;
    expect(res.status).toBe(200);
  });

  it('does not wake on an identical write', async () => {
    await put('k', 'same');
    const start = index(await kv('k'));
    const pending = kv(`k?index=${start}&wait=150ms`);
    await server.nextEvent('park');
    server.put('k', 'same');
    expect(index(await pending)).toBe(start);
  });

  it('returns at once on an index reset, with a lower index', async () => {
    for (let i = 0; i < 5; i++) await put(`app/k${i}`, String(i));
    const start = index(await kv('app/?recurse'));
    const pending = kv(`app/?recurse&index=${start}&wait=10s`);
    await server.nextEvent('park');
    server.resetIndex();
    const res = await pending;
    expect(index(res)).toBeLessThan(start);
  });
});

describe('ACL', () => {
  const acl = {
    defaultPolicy: 'deny' as const,
    tokens: { reader: { read: ['app/public/'] }, writer: { write: ['app/'] } },
  };

  it('denies, filters and accepts tokens as Consul does', async () => {
    const secured = await start({ acl });
    secured.put('app/public/a', '1');
    secured.put('app/secret/b', '2');
    const as = (token: string) => ({ headers: { 'X-Consul-Token': token } });

    const unknown = await kv('app/public/a', as('nope'), secured);
    expect([unknown.status, await unknown.text()]).toEqual([403, 'ACL not found']);
    expect(unknown.headers.get('x-consul-default-acl-policy')).toBe('deny');

    const denied = await kv('app/secret/missing', as('reader'), secured);
    expect([denied.status, await denied.text()]).toEqual([403, 'Permission denied']);
    expect(denied.headers.get('x-consul-index')).toBeNull();

    const filtered = await kv('app/?recurse', as('reader'), secured);
    expect(filtered.headers.get('x-consul-results-filtered-by-acls')).toBe('true');
    expect(((await filtered.json()) as Array<{ Key: string }>).map((e) => e.Key)).toEqual(['app/public/a']);
    expect((await kv('app/secret/?recurse', as('reader'), secured)).status).toBe(404);
    expect((await kv('app/secret/?recurse', {}, secured)).status).toBe(404);

    expect((await kv('app/x', { method: 'PUT', body: '1', ...as('reader') }, secured)).status).toBe(403);
    expect((await kv('app/x', { method: 'PUT', body: '1', ...as('writer') }, secured)).status).toBe(200);
    expect((await kv('app/x?token=writer', { method: 'DELETE' }, secured)).status).toBe(200);
    const bearer = { headers: { Authorization: 'Bearer reader' } };
    expect((await kv('app/public/a', bearer, secured)).status).toBe(200);
  });
});

describe('fault injection', () => {
  it('fails the next requests with the given status and a text body', async () => {
    server.failNext(2, 503);
    const first = await kv('k');
    expect([first.status, await first.text()]).toEqual([
      503,
      'rate limit exceeded for KV.Get, try again later',
    ]);
    expect(first.headers.get('x-consul-index')).toBeNull();
    expect((await kv('k')).status).toBe(503);
    expect((await kv('k')).status).toBe(404);
    server.failNext(1, 429, 'slow down');
    expect(await (await kv('k')).text()).toBe('slow down');
    expect(server.requestCount).toBe(4);
  });

  it('adds latency', async () => {
    server.setLatency(80);
    const began = Date.now();
    await kv('k');
    expect(Date.now() - began).toBeGreaterThanOrEqual(75);
  });

  it('goes down and comes back up on the same port with its data', async () => {
    await put('k', 'v');
    const port = server.port;
    const pending = kv(`k?index=${server.index}&wait=10s`);
    await server.nextEvent('park');
    await server.down();
    await expect(pending).rejects.toThrow();
    await expect(kv('k')).rejects.toThrow();
    await server.up();
    expect(server.port).toBe(port);
    expect(await (await kv('k?raw')).text()).toBe('v');
  });

  it('close() ends pending blocking requests', async () => {
    const pending = kv('k?index=1&wait=10m');
    await server.nextEvent('park');
    await server.close();
    await expect(pending).rejects.toThrow();
    expect(server.pendingBlocking).toBe(0);
  });
});

describe('with the consul npm client', () => {
  let client: Consul;
  beforeEach(() => {
    client = new Consul({ host: server.host, port: server.port });
  });
  afterEach(() => client.destroy());

  it('sets, gets, lists and deletes', async () => {
    expect(await client.kv.set('cfg/a', 'one')).toBe(true);
    expect(await client.kv.set({ key: 'cfg/b/c', value: 'two', flags: 7 })).toBe(true);
    const one = await client.kv.get('cfg/a');
    expect(one).toMatchObject({ Key: 'cfg/a', Value: 'one', Flags: 0 });
    const all = await client.kv.get({ key: 'cfg/', recurse: true });
    expect(Array.isArray(all) && all.map((e) => [e.Key, e.Value, e.Flags])).toEqual([
      ['cfg/a', 'one', 0],
      ['cfg/b/c', 'two', 7],
    ]);
    expect(await client.kv.keys({ key: 'cfg/', separator: '/' })).toEqual(['cfg/a', 'cfg/b/']);
    expect(await client.kv.get('cfg/missing')).toBeUndefined();
    expect(await client.kv.del({ key: 'cfg/', recurse: true })).toBe(true);
    expect(await client.kv.get({ key: 'cfg/', recurse: true })).toBeUndefined();
  });

  it('blocks with index and wait, and reads X-Consul-Index through ctx.includeResponse', async () => {
    await client.kv.set('watch/a', '1');
    type Ctx = EventEmitter & { includeResponse?: boolean };
    const query = (options: Record<string, unknown>) => {
      const ctx: Ctx = Object.assign(new EventEmitter(), { includeResponse: true });
      // The client's typings omit index/wait/ctx; the source wraps this in one typed helper.
      const get = client.kv.get as unknown as (
        o: unknown,
      ) => Promise<[{ headers: Record<string, string> }, unknown]>;
      return { ctx, result: get.call(client.kv, { key: 'watch/', recurse: true, ctx, ...options }) };
    };
    const [first] = await query({}).result;
    const start = Number(first.headers['x-consul-index']);
    expect(start).toBe(11);

    const blocking = query({ index: String(start), wait: '10s' });
    await server.nextEvent('park');
    await client.kv.set('watch/b', '2');
    const [res, body] = await blocking.result;
    expect(Number(res.headers['x-consul-index'])).toBeGreaterThan(start);
    expect(body).toHaveLength(2);

    const cancelled = query({ index: res.headers['x-consul-index'], wait: '10m' });
    await server.nextEvent('park');
    const aborted = server.nextEvent('abort', () => true, 500);
    cancelled.ctx.emit('cancel');
    await expect(cancelled.result).rejects.toThrow(/aborted/);
    expect((await aborted).parked).toBe(true);
  });
});
