/**
 * The etcd JSON gateway client (src/sources/etcd/gateway.ts) against a real etcd 3.4: paged range reads
 * at one revision, compare-and-swap transactions, leases, watch streams (PUT/DELETE, compaction),
 * endpoint failover and password authentication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdGateway, EtcdGatewayError, type WatchEvent } from '../../src/sources/etcd/gateway.js';
import { type EtcdServer, enableAuth, freePorts, startEtcd } from '../helpers/etcd-server.js';

let server: EtcdServer;
let etcd: EtcdGateway;
let counter = 0;

beforeAll(async () => {
  server = await startEtcd();
  etcd = new EtcdGateway({ hosts: [server.endpoint] });
});

afterAll(async () => {
  etcd?.close();
  await server?.close();
});

const unique = () => `/gw/${++counter}/`;

/** Waits (bounded) until `check` holds, polling on the event loop. */
async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('EtcdGateway: range', () => {
  it('pages a prefix (limit + continue after the last key) at the first page’s revision', async () => {
    const prefix = unique();
    for (let index = 0; index < 10; index++) await etcd.put(`${prefix}k${index}`, `v${index}`);
    await etcd.put(`${prefix.slice(0, -1)}x`, 'a sibling, outside the prefix');
    const sizes: number[] = [];
    const keys: string[] = [];
    const result = await etcd.rangeAll(prefix, {
      prefix: true,
      pageSize: 3,
      onPage: (page) => {
        sizes.push(page.kvs.length);
        keys.push(...page.kvs.map((kv) => kv.key));
        // Writes between pages are not seen: every page is read at the first page's revision.
        if (sizes.length === 1) void etcd.put(`${prefix}k99`, 'late');
      },
    });
    expect(sizes).toEqual([3, 3, 3, 1]);
    expect(keys).toEqual(Array.from({ length: 10 }, (_, index) => `${prefix}k${index}`));
    expect(result.count).toBe(10);
    const one = await etcd.range(`${prefix}k3`);
    expect(one.kvs).toEqual([expect.objectContaining({ key: `${prefix}k3`, value: 'v3' })]);
    expect(Number(one.kvs[0]?.modRevision)).toBeGreaterThan(0);
  });

  it('a read at a compacted revision rejects with reason compacted', async () => {
    const key = `${unique()}c`;
    const first = await etcd.put(key, '1');
    const second = await etcd.put(key, '2');
    await etcd.compact(second.revision);
    const error = await etcd.range(key, { revision: first.revision }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EtcdGatewayError);
    expect(error).toMatchObject({ reason: 'compacted', grpcCode: 11 });
  });
});

describe('EtcdGateway: writes', () => {
  it('txn compares the MOD revision: the first create wins, a stale CAS fails', async () => {
    const key = `${unique()}lock`;
    const create = {
      compare: [{ key, target: 'MOD' as const, modRevision: 0 }],
      success: [{ put: { key, value: 'a' } }],
    };
    const won = await etcd.txn(create);
    expect(won.succeeded).toBe(true);
    expect((await etcd.txn({ ...create, success: [{ put: { key, value: 'b' } }] })).succeeded).toBe(false);
    const current = (await etcd.range(key)).kvs[0];
    const swap = await etcd.txn({
      compare: [{ key, target: 'MOD', modRevision: current?.modRevision ?? '0' }],
      success: [{ put: { key, value: 'c' } }],
      failure: [{ range: { key } }],
    });
    expect(swap.succeeded).toBe(true);
    const stale = await etcd.txn({
      compare: [{ key, target: 'MOD', modRevision: current?.modRevision ?? '0' }],
      success: [{ put: { key, value: 'd' } }],
      failure: [{ range: { key } }],
    });
    expect(stale.succeeded).toBe(false);
    expect(stale.responses[0]?.kvs?.[0]?.value).toBe('c');
  });

  it('deleteRange deletes one key or a whole prefix', async () => {
    const prefix = unique();
    await etcd.put(`${prefix}a`, '1');
    await etcd.put(`${prefix}b/c`, '2');
    expect((await etcd.deleteRange(`${prefix}a`)).deleted).toBe(1);
    expect((await etcd.deleteRange(prefix, { prefix: true })).deleted).toBe(1);
    expect((await etcd.range(prefix, { prefix: true })).kvs).toEqual([]);
  });

  it('leases: grant, attach, keep alive, revoke (its keys go), keep-alive after revoke is not-found', async () => {
    const key = `${unique()}instance`;
    const lease = await etcd.leaseGrant(30);
    expect(lease.ttl).toBe(30);
    await etcd.put(key, 'up', { lease: lease.id });
    expect((await etcd.range(key)).kvs[0]?.lease).toBe(lease.id);
    expect((await etcd.leaseKeepAlive(lease.id)).ttl).toBeGreaterThan(0);
    await etcd.leaseRevoke(lease.id);
    expect((await etcd.range(key)).kvs).toEqual([]);
    await expect(etcd.leaseKeepAlive(lease.id)).rejects.toMatchObject({ reason: 'not-found' });
  });
});

describe('EtcdGateway: watch', () => {
  it('streams PUT and DELETE events from a start revision, decoded', async () => {
    const prefix = unique();
    const start = await etcd.put(`${prefix}a`, '1');
    const events: WatchEvent[] = [];
    const watch = etcd.watch(
      { key: prefix, prefix: true, startRevision: start.revision },
      { onEvents: (batch) => events.push(...batch) },
    );
    await etcd.put(`${prefix}b`, 'two');
    await etcd.deleteRange(`${prefix}a`);
    await until(() => events.length >= 3);
    watch.close();
    expect(await watch.ended).toEqual({ reason: 'closed' });
    expect(events.map((event) => [event.type, event.key, event.value])).toEqual([
      ['PUT', `${prefix}a`, '1'],
      ['PUT', `${prefix}b`, 'two'],
      ['DELETE', `${prefix}a`, ''],
    ]);
  });

  it('a watch from a compacted revision ends with reason compacted', async () => {
    const key = `${unique()}w`;
    const first = await etcd.put(key, '1');
    const second = await etcd.put(key, '2');
    await etcd.compact(second.revision);
    const watch = etcd.watch({ key, startRevision: first.revision }, { onEvents: () => undefined });
    expect(await watch.ended).toEqual({ reason: 'compacted', compactRevision: second.revision });
  });

  it('a watch whose server stops ends with reason failed', async () => {
    const own = await startEtcd();
    const client = new EtcdGateway({ hosts: [own.endpoint] });
    try {
      let created = false;
      const watch = client.watch(
        { key: '/x' },
        { onEvents: () => undefined, onCreated: () => (created = true) },
      );
      await until(() => created);
      await own.stop();
      const end = await watch.ended;
      expect(end.reason).toBe('failed');
    } finally {
      client.close();
      await own.close();
    }
  }, 20_000);
});

describe('EtcdGateway: endpoints and auth', () => {
  it('moves on to the next endpoint when one refuses connections; unreachable when none answers', async () => {
    const [port] = await freePorts(1);
    const client = new EtcdGateway({ hosts: [`http://127.0.0.1:${port}`, server.endpoint] });
    try {
      await client.put('/gw/failover', 'ok');
      expect(client.endpoint).toBe(server.endpoint);
    } finally {
      client.close();
    }
    const dead = new EtcdGateway({ hosts: [`http://127.0.0.1:${port}`] });
    await expect(dead.range('/x')).rejects.toMatchObject({ reason: 'unreachable' });
    dead.close();
    await expect(dead.range('/x')).rejects.toMatchObject({ reason: 'closed' });
  });

  it('authenticates with user/password, renews a token etcd no longer accepts, rejects a wrong password', async () => {
    const secured = await startEtcd();
    try {
      await enableAuth(secured.endpoint, 'pw');
      const client = new EtcdGateway({
        hosts: [secured.endpoint],
        auth: { username: 'root', password: 'pw' },
      });
      try {
        await client.put('/auth/k', 'v');
        expect((await client.range('/auth/k')).kvs[0]?.value).toBe('v');
        // Restarting etcd invalidates its simple tokens: the next call renews the token once.
        await secured.restart();
        expect((await client.range('/auth/k')).kvs[0]?.value).toBe('v');
      } finally {
        client.close();
      }
      const wrong = new EtcdGateway({
        hosts: [secured.endpoint],
        auth: { username: 'root', password: 'nope' },
      });
      await expect(wrong.range('/auth/k')).rejects.toMatchObject({ reason: 'permission' });
      wrong.close();
      const anonymous = new EtcdGateway({ hosts: [secured.endpoint] });
      await expect(anonymous.range('/auth/k')).rejects.toMatchObject({ reason: 'permission' });
      anonymous.close();
    } finally {
      await secured.close();
    }
  }, 30_000);
});
