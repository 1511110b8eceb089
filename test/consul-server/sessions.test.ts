import { afterEach, describe, expect, it } from 'vitest';
import { type ConsulTestServer, startConsulServer } from './server.js';

const open: ConsulTestServer[] = [];

async function start(options: Parameters<typeof startConsulServer>[0] = {}): Promise<ConsulTestServer> {
  const started = await startConsulServer({ random: () => 0, ...options });
  open.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function call(server: ConsulTestServer, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as unknown, headers: res.headers };
}

async function createSession(server: ConsulTestServer, body: Record<string, unknown> = {}): Promise<string> {
  const created = await call(server, 'PUT', '/v1/session/create', body);
  expect(created.status).toBe(200);
  return (created.json() as { ID: string }).ID;
}

describe('sessions', () => {
  it('creates, shows, lists, renews and destroys a session', async () => {
    const server = await start();
    const id = await createSession(server, {
      Name: 'fleet',
      TTL: '10s',
      Behavior: 'delete',
      LockDelay: '0s',
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const info = await call(server, 'GET', `/v1/session/info/${id}`);
    expect(Number(info.headers.get('x-consul-index'))).toBeGreaterThan(0);
    expect(info.json()).toEqual([
      expect.objectContaining({
        ID: id,
        Name: 'fleet',
        Behavior: 'delete',
        TTL: '10s',
        LockDelay: 0,
        NodeChecks: ['serfHealth'],
      }),
    ]);
    expect((await call(server, 'GET', '/v1/session/list')).json()).toHaveLength(1);
    const renewed = await call(server, 'PUT', `/v1/session/renew/${id}`);
    expect(renewed.status).toBe(200);
    expect(renewed.json()).toEqual([expect.objectContaining({ ID: id })]);
    expect((await call(server, 'PUT', `/v1/session/destroy/${id}`)).text).toBe('true');
    expect((await call(server, 'GET', `/v1/session/info/${id}`)).json()).toEqual([]);
    const gone = await call(server, 'PUT', `/v1/session/renew/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.text).toBe(`Session id '${id}' not found`);
  });

  it('applies Consul defaults and limits', async () => {
    const server = await start();
    const id = await createSession(server);
    const [session] = (await call(server, 'GET', `/v1/session/info/${id}`)).json() as Array<
      Record<string, unknown>
    >;
    expect(session).toMatchObject({ Behavior: 'release', TTL: '', LockDelay: 15e9 });
    const capped = await createSession(server, { LockDelay: '5m', NodeChecks: [] });
    const [long] = (await call(server, 'GET', `/v1/session/info/${capped}`)).json() as Array<
      Record<string, unknown>
    >;
    expect(long).toMatchObject({ LockDelay: 60e9, NodeChecks: [] });
    const short = await call(server, 'PUT', '/v1/session/create', { TTL: '5s' });
    expect(short.status).toBe(500);
    expect(short.text).toBe("Invalid Session TTL '5000000000', must be between [10s=24h0m0s]");
    const behavior = await call(server, 'PUT', '/v1/session/create', { Behavior: 'vanish' });
    expect(behavior.status).toBe(500);
    expect(behavior.text).toBe("Invalid Behavior setting 'vanish'");
    expect((await call(server, 'PUT', '/v1/session/create', '{nope')).status).toBe(400);
    expect((await call(server, 'GET', '/v1/session/create')).status).toBe(405);
    expect((await call(server, 'PUT', '/v1/session/renew/')).status).toBe(400);
  });

  it('acquires and releases locks: one holder, LockIndex counts acquisitions', async () => {
    const server = await start();
    const a = await createSession(server, { LockDelay: '0s' });
    const b = await createSession(server, { LockDelay: '0s' });
    expect((await call(server, 'PUT', `/v1/kv/lock?acquire=${a}`, 'a1')).text).toBe('true');
    expect(server.get('lock')).toMatchObject({ value: 'a1', session: a });
    expect((await call(server, 'PUT', `/v1/kv/lock?acquire=${b}`, 'b1')).text).toBe('false');
    expect((await call(server, 'PUT', `/v1/kv/lock?acquire=${a}`, 'a2')).text).toBe('true');
    const [entry] = (await call(server, 'GET', '/v1/kv/lock')).json() as Array<Record<string, unknown>>;
    expect(Object.keys(entry ?? {})).toEqual([
      'LockIndex',
      'Key',
      'Flags',
      'Value',
      'Session',
      'CreateIndex',
      'ModifyIndex',
    ]);
    expect(entry).toMatchObject({ LockIndex: 1, Session: a, Value: Buffer.from('a2').toString('base64') });
    expect((await call(server, 'PUT', `/v1/kv/lock?release=${b}`, 'x')).text).toBe('false');
    expect((await call(server, 'PUT', `/v1/kv/lock?release=${a}`, 'free')).text).toBe('true');
    expect(server.get('lock')?.session).toBeUndefined();
    expect((await call(server, 'PUT', `/v1/kv/lock?acquire=${b}`, 'b2')).text).toBe('true');
    expect(server.get('lock')).toMatchObject({ session: b });
    const [again] = (await call(server, 'GET', '/v1/kv/lock')).json() as Array<Record<string, unknown>>;
    expect(again?.LockIndex).toBe(2);
    const unknown = await call(server, 'PUT', '/v1/kv/other?acquire=nope', 'x');
    expect(unknown.status).toBe(500);
    expect(unknown.text).toBe('invalid session "nope"');
    // A plain PUT still writes a locked key and keeps its holder.
    expect((await call(server, 'PUT', '/v1/kv/lock', 'plain')).text).toBe('true');
    expect(server.get('lock')).toMatchObject({ value: 'plain', session: b });
  });

  it('destroy with behavior delete deletes the held keys and wakes a blocking query on them', async () => {
    const server = await start();
    const id = await createSession(server, { Behavior: 'delete', LockDelay: '0s' });
    await call(server, 'PUT', `/v1/kv/fleet/svc/i1?acquire=${id}`, '{}');
    server.put('fleet/svc/other', 'stays');
    const listed = await call(server, 'GET', '/v1/kv/fleet/svc/?recurse');
    const before = Number(listed.headers.get('x-consul-index'));
    const woken = fetch(`${server.url}/v1/kv/fleet/svc/?recurse&index=${before}&wait=5s`);
    await server.nextEvent('park');
    expect((await call(server, 'PUT', `/v1/session/destroy/${id}`)).text).toBe('true');
    const res = await woken;
    expect(Number(res.headers.get('x-consul-index'))).toBeGreaterThan(before);
    const keys = ((await res.json()) as Array<{ Key: string }>).map((entry) => entry.Key);
    expect(keys).toEqual(['fleet/svc/other']);
  });

  it('destroy with behavior release clears Session, moves ModifyIndex and starts the lock-delay', async () => {
    const server = await start();
    const holder = await createSession(server, { LockDelay: '60s' });
    const next = await createSession(server);
    await call(server, 'PUT', `/v1/kv/leader?acquire=${holder}`, 'me');
    const before = server.get('leader')?.modifyIndex ?? 0;
    await call(server, 'PUT', `/v1/session/destroy/${holder}`);
    const after = server.get('leader');
    expect(after?.session).toBeUndefined();
    expect(after?.value).toBe('me');
    expect(after?.modifyIndex).toBeGreaterThan(before);
    const raft = server.index;
    expect((await call(server, 'PUT', `/v1/kv/leader?acquire=${next}`, 'you')).text).toBe('false');
    expect(server.index).toBe(raft); // refused before the raft apply
    // Another key is not delayed.
    expect((await call(server, 'PUT', `/v1/kv/elsewhere?acquire=${next}`, 'you')).text).toBe('true');
  });

  it('expires a session after TTL × multiplier without a renew, deleting its keys', async () => {
    const server = await start({ sessions: { minTtlMs: 50, ttlMultiplier: 2 } });
    const id = await createSession(server, {
      Name: 'short',
      TTL: '100ms',
      Behavior: 'delete',
      LockDelay: '0s',
    });
    await call(server, 'PUT', `/v1/kv/fleet/x?acquire=${id}`, '{}');
    expect(server.get('fleet/x')?.session).toBe(id);
    const expired = await server.nextSessionExpiry((session) => session.id === id, 5000);
    expect(expired.name).toBe('short');
    expect(server.get('fleet/x')).toBeUndefined();
    expect(server.sessions()).toEqual([]);
  });

  it('renew pushes the expiry back', async () => {
    const server = await start({ sessions: { minTtlMs: 50, ttlMultiplier: 1 } });
    const kept = await createSession(server, { TTL: '1s', Behavior: 'delete' });
    const dropped = await createSession(server, { TTL: '1s', Behavior: 'delete' });
    // Renew `kept` until `dropped` has expired: `kept` must still be alive then.
    let renewing = true;
    const loop = (async () => {
      while (renewing) {
        await call(server, 'PUT', `/v1/session/renew/${kept}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await server.nextSessionExpiry((session) => session.id === dropped, 5000);
    expect(server.sessions().map((session) => session.id)).toEqual([kept]);
    renewing = false;
    await loop;
  });

  it('applies cas on PUT and DELETE with a session-held key like any key', async () => {
    const server = await start();
    const id = await createSession(server);
    await call(server, 'PUT', `/v1/kv/k?acquire=${id}`, '1');
    const index = server.get('k')?.modifyIndex ?? 0;
    expect((await call(server, 'PUT', `/v1/kv/k?cas=${index - 1}`, '2')).text).toBe('false');
    expect((await call(server, 'PUT', `/v1/kv/k?cas=${index}`, '2')).text).toBe('true');
    const conflict = await call(server, 'PUT', `/v1/kv/k?cas=1&acquire=${id}`, '3');
    expect(conflict.status).toBe(400);
    expect(conflict.text).toBe(`Conflicting flags: cas=1&acquire=${id}\n`);
  });
});
