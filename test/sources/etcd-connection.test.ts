/**
 * The etcd source's reads in pages, its connection settings from etcdctl's variables
 * (`ETCDCTL_ENDPOINTS`, `ETCDCTL_USER`, `ETCDCTL_PASSWORD`, `ETCDCTL_CACERT/CERT/KEY`), and
 * password authentication for reads and watches, against real etcd servers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { etcd } from '../../src/etcd.js';
import { resolveConnection } from '../../src/sources/etcd/client.js';
import type { EtcdSource } from '../../src/sources/etcd/etcd.js';
import { EtcdGateway } from '../../src/sources/etcd/gateway.js';
import { type EtcdServer, enableAuth, startEtcd } from '../helpers/etcd-server.js';
import { startTlsEtcd } from '../helpers/etcd-tls.js';

let server: EtcdServer;
let admin: EtcdGateway;
const open: EtcdSource[] = [];

beforeAll(async () => {
  server = await startEtcd();
  admin = new EtcdGateway({ hosts: [server.endpoint] });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((source) => source.close()));
});

afterAll(async () => {
  admin?.close();
  await server?.close();
});

/** Runs `body` with the given environment variables set, restoring them after. */
async function withEnv<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('etcd source: paged reads', () => {
  it('reads a prefix with more keys than one page, whole, and keeps watching it', async () => {
    const prefix = '/paged/app/';
    const success = Array.from({ length: 25 }, (_, index) => ({
      put: { key: `${prefix}group${index % 3}/k${index}`, value: String(index) },
    }));
    await admin.txn({ compare: [], success });
    const source = etcd({ prefix, hosts: server.endpoint, pageSize: 4 });
    open.push(source);
    const change = await source.read();
    const expected: Record<string, Record<string, number>> = {};
    for (let index = 0; index < 25; index++) {
      expected[`group${index % 3}`] ??= {};
      (expected[`group${index % 3}`] as Record<string, number>)[`k${index}`] = index;
    }
    expect(change.data).toEqual(expected);
    expect(change.origins?.lookup(['group1', 'k4'])).toMatchObject({ etcdKey: `${prefix}group1/k4` });
    const next = firstValueFrom(
      source.watch().pipe(
        filter((c) => (c.data.group1 as Record<string, unknown> | undefined)?.k4 === 'changed'),
        timeout(5000),
      ),
    );
    await admin.put(`${prefix}group1/k4`, 'changed');
    const watched = await next;
    expect(Object.keys(watched.data.group0 as object)).toHaveLength(9);
  });
});

describe('etcd source: etcdctl variables', () => {
  it('resolves endpoints, TLS files and users the way etcdctl does; options win', () => {
    const environ = {
      ETCDCTL_ENDPOINTS: 'etcd-1:2379, https://etcd-2:2379',
      ETCDCTL_USER: 'app:s3cret:with-colon',
    };
    expect(resolveConnection({}, environ)).toEqual({
      hosts: ['http://etcd-1:2379', 'https://etcd-2:2379'],
      auth: { username: 'app', password: 's3cret:with-colon' },
    });
    expect(
      resolveConnection({}, { ETCDCTL_USER: 'app', ETCDCTL_PASSWORD: 'pw', ETCDCTL_CACERT: '/ca.pem' }),
    ).toEqual({
      hosts: ['http://127.0.0.1:2379'],
      auth: { username: 'app', password: 'pw' },
      tlsFiles: { ca: '/ca.pem' },
    });
    expect(
      resolveConnection({ hosts: 'http://x:1', auth: { username: 'u', password: 'p' } }, environ),
    ).toEqual({
      hosts: ['http://x:1'],
      auth: { username: 'u', password: 'p' },
    });
    expect(
      resolveConnection({}, { ETCDCTL_ENDPOINTS: '10.0.0.1:2379', ETCDCTL_CACERT: '/ca.pem' }).hosts,
    ).toEqual(['https://10.0.0.1:2379']);
  });

  it('reads with ETCDCTL_ENDPOINTS and ETCDCTL_USER=user:password against an etcd with auth', async () => {
    const secured = await startEtcd();
    try {
      await enableAuth(secured.endpoint, 'right-password');
      const root = new EtcdGateway({
        hosts: [secured.endpoint],
        auth: { username: 'root', password: 'right-password' },
      });
      await root.put('/env/app/port', '8080');
      const source = await withEnv(
        { ETCDCTL_ENDPOINTS: secured.endpoint, ETCDCTL_USER: 'root:right-password' },
        async () => etcd({ prefix: '/env/app/' }),
      );
      open.push(source);
      expect((await source.read()).data).toEqual({ port: 8080 });
      // The watch authenticates too, and sees the next write.
      const next = firstValueFrom(
        source.watch().pipe(
          filter((c) => c.data.port === 9090),
          timeout(5000),
        ),
      );
      await root.put('/env/app/port', '9090');
      expect((await next).data).toEqual({ port: 9090 });
      root.close();
      const wrong = await withEnv(
        { ETCDCTL_ENDPOINTS: secured.endpoint, ETCDCTL_USER: 'root', ETCDCTL_PASSWORD: 'nope' },
        async () => etcd({ prefix: '/env/app/' }),
      );
      open.push(wrong);
      await expect(wrong.read()).rejects.toMatchObject({ code: 'PERMISSION' });
    } finally {
      await Promise.all(open.splice(0).map((source) => source.close()));
      await secured.close();
    }
  }, 30_000);

  it('reads over mTLS with the files named by ETCDCTL_CACERT, ETCDCTL_CERT and ETCDCTL_KEY', async () => {
    const tlsServer = await startTlsEtcd();
    const dir = await mkdtemp(join(tmpdir(), 'livecfg-etcdctl-'));
    try {
      const files = {
        ca: join(dir, 'ca.pem'),
        cert: join(dir, 'client.pem'),
        key: join(dir, 'client-key.pem'),
      };
      await writeFile(files.ca, tlsServer.tls.ca);
      await writeFile(files.cert, tlsServer.tls.cert);
      await writeFile(files.key, tlsServer.tls.key);
      const writer = new EtcdGateway({ hosts: [tlsServer.endpoint], tls: tlsServer.tls });
      await writer.put('/etcdctl-tls/port', '8443');
      writer.close();
      const source = await withEnv(
        {
          ETCDCTL_ENDPOINTS: tlsServer.endpoint.replace(/^https:\/\//, ''),
          ETCDCTL_CACERT: files.ca,
          ETCDCTL_CERT: files.cert,
          ETCDCTL_KEY: files.key,
        },
        async () => etcd({ prefix: '/etcdctl-tls/' }),
      );
      open.push(source);
      expect((await source.read()).data).toEqual({ port: 8443 });
    } finally {
      await Promise.all(open.splice(0).map((source) => source.close()));
      await rm(dir, { recursive: true, force: true });
      await tlsServer.close();
    }
  }, 40_000);
});
