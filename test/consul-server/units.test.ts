import { describe, expect, it } from 'vitest';
import { authorize, requestToken } from './acl.js';
import { DEFAULT_WAIT_MS, MAX_WAIT_MS, queryTimeout } from './blocking.js';
import { parseGoDuration } from './duration.js';
import { KvStore } from './store.js';

describe('parseGoDuration (Go time.ParseDuration)', () => {
  it.each([
    ['0', 0],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h2m3.5s', 3_723_500],
    ['250ms', 250],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['1.s', 1000],
    ['-2s', -2000],
    ['+3ms', 3],
    ['1000us', 1],
    ['1000µs', 1],
    ['1000000ns', 1],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', '10', 's', '1x', '1.2.3s', '.s', '-', 'ten seconds'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('queryTimeout', () => {
  it('defaults to 5m, caps at 10m and adds at most wait/16 of jitter', () => {
    expect(queryTimeout(undefined, () => 0)).toBe(DEFAULT_WAIT_MS);
    expect(queryTimeout(-1, () => 0)).toBe(DEFAULT_WAIT_MS);
    expect(queryTimeout(60 * 60_000, () => 0)).toBe(MAX_WAIT_MS);
    expect(queryTimeout(1600, () => 0.999_999)).toBeCloseTo(1700, 0);
    expect(queryTimeout(1600, () => 0)).toBe(1600);
  });
});

describe('KvStore indexes', () => {
  it('reports a prefix index as the highest ModifyIndex or tombstone under it', () => {
    const store = new KvStore(0);
    store.set('a/x', Buffer.from('1'));
    store.set('b/y', Buffer.from('2'));
    expect(store.indexOfPrefix('a/')).toBe(1);
    expect(store.indexOfPrefix('b/')).toBe(2);
    store.delete('a/x');
    expect(store.indexOfPrefix('a/')).toBe(3);
    expect(store.indexOfPrefix('c/')).toBe(3); // never used: the table index
    expect(store.indexOfKey('missing')).toBe(3);
  });

  it('keeps the ModifyIndex of an identical write but still advances the raft index', () => {
    const store = new KvStore(0);
    store.set('k', Buffer.from('v'));
    store.set('k', Buffer.from('v'));
    expect(store.get('k')?.modifyIndex).toBe(1);
    expect(store.raftIndex).toBe(2);
    store.set('k', Buffer.from('v'), { flags: '4' });
    expect(store.get('k')?.modifyIndex).toBe(3);
  });

  it('applies check-and-set on writes and deletes', () => {
    const store = new KvStore(0);
    expect(store.set('k', Buffer.from('1'), { cas: 0n })).toBe(true);
    expect(store.set('k', Buffer.from('2'), { cas: 0n })).toBe(false);
    expect(store.set('k', Buffer.from('2'), { cas: 99n })).toBe(false);
    expect(store.set('k', Buffer.from('2'), { cas: 1n })).toBe(true);
    expect(store.delete('k', 0n)).toBe(false);
    expect(store.delete('k', BigInt(store.get('k')?.modifyIndex ?? 0))).toBe(true);
    expect(store.delete('gone', 5n)).toBe(true);
  });

  it('renumbers entries from 2 on reset', () => {
    const store = new KvStore(0);
    for (let i = 0; i < 5; i++) store.set(`k${i}`, Buffer.from(String(i)));
    store.delete('k0');
    store.reset();
    expect(store.raftIndex).toBe(5);
    expect(store.list('').map((entry) => entry.modifyIndex)).toEqual([2, 3, 4, 5]);
  });
});

describe('ACL model', () => {
  it('takes the token from ?token, then X-Consul-Token, then Authorization: Bearer', () => {
    const headers = { 'x-consul-token': 'header', authorization: 'Bearer bearer' };
    expect(requestToken(new URLSearchParams('token=query'), headers)).toBe('query');
    expect(requestToken(new URLSearchParams(), headers)).toBe('header');
    expect(requestToken(new URLSearchParams(), { authorization: 'Bearer  tok extra' })).toBe('tok');
    expect(requestToken(new URLSearchParams(), { authorization: 'Basic abc' })).toBeUndefined();
    expect(requestToken(new URLSearchParams('token='), {})).toBeUndefined();
  });

  it('grants by key prefix under a deny policy; write implies read', () => {
    const acl = { defaultPolicy: 'deny' as const, tokens: { t: { read: ['app/'], write: ['app/rw/'] } } };
    const authz = authorize(acl, 't');
    expect(authz?.canRead('app/x')).toBe(true);
    expect(authz?.canRead('other')).toBe(false);
    expect(authz?.canWrite('app/x')).toBe(false);
    expect(authz?.canWrite('app/rw/x')).toBe(true);
    expect(authz?.canWritePrefix('app/')).toBe(false);
    expect(authorize(acl, 'unknown')).toBeUndefined();
    expect(authorize(acl, undefined)?.canRead('app/x')).toBe(false);
  });
});
