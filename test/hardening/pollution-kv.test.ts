import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcd } from '../../src/etcd.js';
import { consul, loadConfig, type Source } from '../../src/index.js';
import { type ConsulTestServer, startConsulServer } from '../consul-server/server.js';
import { useEtcd } from '../helpers/use-etcd.js';

/** Unsafe keys at every depth, as key paths and as a JSON document. */
const UNSAFE_PATHS = [
  '__proto__/polluted',
  'constructor/prototype/polluted',
  'prototype/polluted',
  'a/__proto__/polluted',
  'a/b/constructor/prototype/polluted',
];
const UNSAFE_DOCUMENT =
  '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"a":{"__proto__":{"polluted":1}}}';

function expectClean(value: unknown): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    expect(Object.hasOwn(node, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(node) === Object.prototype || Array.isArray(node)).toBe(true);
    for (const child of Object.values(node)) visit(child);
  };
  visit(value);
  // A user copying a subtree must not swap prototypes either.
  const copy = Object.assign({}, (value as Record<string, unknown>).a);
  expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
}

async function loadClean(source: Source): Promise<void> {
  const config = await loadConfig({ sources: [source], watch: false });
  try {
    expectClean(config.value);
  } finally {
    await config.close();
  }
}

describe('unsafe keys through Consul', () => {
  let server: ConsulTestServer;
  beforeAll(async () => {
    server = await startConsulServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('prefix mode: __proto__/constructor/prototype keys at any depth', async () => {
    for (const path of UNSAFE_PATHS) server.put(`hostile/${path}`, '1');
    server.put('hostile/a/x', '{"__proto__":{"polluted":1}}');
    await loadClean(consul({ prefix: 'hostile/', host: '127.0.0.1', port: server.port }));
  });

  it('key mode: a JSON document with unsafe keys', async () => {
    server.put('hostile.json', UNSAFE_DOCUMENT);
    await loadClean(consul({ key: 'hostile.json', host: '127.0.0.1', port: server.port }));
  });
});

describe('unsafe keys through etcd', () => {
  const etcdFixture = useEtcd();

  it('prefix mode: __proto__/constructor/prototype keys at any depth', async () => {
    for (const path of UNSAFE_PATHS) await etcdFixture.admin.put(`/hostile/${path}`, '1');
    await etcdFixture.admin.put('/hostile/a/x', '{"__proto__":{"polluted":1}}');
    await loadClean(etcd({ prefix: '/hostile/', hosts: etcdFixture.server.endpoint }));
  });

  it('key mode: a JSON document with unsafe keys', async () => {
    await etcdFixture.admin.put('/hostile.json', UNSAFE_DOCUMENT);
    await loadClean(etcd({ key: '/hostile.json', hosts: etcdFixture.server.endpoint }));
  });
});
