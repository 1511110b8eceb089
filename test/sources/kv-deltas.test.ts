/**
 * Deltas at the source level (issue 14, item 4): etcd watch events and Consul answers (per-key
 * ModifyIndex) become `ChangeSet.delta`, `data` stays the whole data, and unchanged branches are
 * shared with the previous ChangeSet (the tree is patched, not rebuilt).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcd } from '../../src/etcd.js';
import type { ChangeSet } from '../../src/reader/contract.js';
import { type ConsulTestServer, startConsulServer } from '../consul-server/server.js';
import { useEtcd } from '../helpers/use-etcd.js';
import { record, serverTarget, sourceOn } from './consul-target.js';

/** A watch whose emissions can be awaited one by one. */
function emissions(source: { watch(): import('rxjs').Observable<ChangeSet> }) {
  const items: ChangeSet[] = [];
  let waiter: (() => void) | undefined;
  const subscription = source.watch().subscribe((change) => {
    items.push(change);
    waiter?.();
  });
  let taken = 0;
  return {
    subscription,
    next: () =>
      new Promise<ChangeSet>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no ChangeSet within 5 s')), 5000);
        const check = () => {
          if (items.length <= taken) return;
          clearTimeout(timer);
          waiter = undefined;
          resolve(items[taken++] as ChangeSet);
        };
        waiter = check;
        check();
      }),
  };
}

describe('etcd deltas', () => {
  const fixture = useEtcd();

  it('a put and a delete carry a delta; data is whole; untouched branches are shared', async () => {
    const put = (key: string, value: string) => fixture.admin.put(`/delta/${key}`, value);
    await put('big/a', '1');
    await put('big/b', '2');
    await put('db/host', 'h1');
    await put('db/port', '5432');
    const source = etcd({ prefix: '/delta/', hosts: fixture.server.endpoint });
    const first = await source.read();
    expect(first.delta).toBeUndefined();
    const watch = emissions(source);
    try {
      // A watch's first emission is whole (the loader may hold another state); later ones are deltas.
      await put('db/warm', 'up');
      const whole = await watch.next();
      expect(whole.delta).toBeUndefined();
      expect(whole.data.big).toBe(first.data.big);
      await fixture.admin.deleteRange('/delta/db/warm');
      await watch.next();
      await put('db/host', 'h2');
      const change = await watch.next();
      expect(change.delta).toEqual({
        set: [[['db', 'host'], 'h2', expect.objectContaining({ etcdKey: '/delta/db/host' })]],
        deleted: [],
      });
      expect(change.data).toEqual({ big: { a: 1, b: 2 }, db: { host: 'h2', port: 5432 } });
      expect(change.data.big).toBe(first.data.big);
      expect(first.data).toEqual({ big: { a: 1, b: 2 }, db: { host: 'h1', port: 5432 } });
      await fixture.admin.deleteRange('/delta/db/', { prefix: true });
      const removed = await watch.next();
      expect(removed.delta).toEqual({ set: [], deleted: [['db']] });
      expect(removed.data).toEqual({ big: { a: 1, b: 2 } });
      expect(removed.origins?.lookup(['big', 'a'])).toMatchObject({ etcdKey: '/delta/big/a' });
    } finally {
      watch.subscription.unsubscribe();
      await source.close();
    }
  });
});

describe('Consul deltas', () => {
  let server: ConsulTestServer;
  beforeAll(async () => {
    server = await startConsulServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('only keys whose ModifyIndex moved are in the delta; a read carries none', async () => {
    const target = serverTarget(() => server);
    await target.put('cd/big/a', '1');
    await target.put('cd/big/b', '2');
    await target.put('cd/db/host', 'h1');
    const source = sourceOn(target, { prefix: 'cd/' });
    const first = await source.read();
    expect(first.delta).toBeUndefined();
    const recorder = record(source);
    try {
      // A watch's first emission is whole (the loader may hold another state); later ones are deltas.
      await target.put('cd/warm', '1');
      expect((await recorder.next()).delta).toBeUndefined();
      await target.put('cd/db/host', 'h2');
      const change = await recorder.next();
      expect(change.delta).toEqual({
        set: [[['db', 'host'], 'h2', expect.objectContaining({ consulKey: 'cd/db/host' })]],
        deleted: [],
      });
      expect(change.data).toEqual({ big: { a: 1, b: 2 }, db: { host: 'h2' }, warm: 1 });
      expect(change.data.big).toBe(first.data.big);
      await target.delete('cd/big/a');
      const removed = await recorder.next();
      expect(removed.delta).toEqual({ set: [], deleted: [['big', 'a']] });
      expect(removed.data).toEqual({ big: { b: 2 }, db: { host: 'h2' }, warm: 1 });
    } finally {
      recorder.subscription.unsubscribe();
      await source.close();
    }
  });
});
