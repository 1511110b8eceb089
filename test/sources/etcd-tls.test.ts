/**
 * etcd over TLS with client-certificate auth (issue 14, item 4), against a real etcd and certificates
 * made by openssl at test time. A wrong CA or a missing client certificate is a clear error.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcd } from '../../src/etcd.js';
import { loadConfig } from '../../src/index.js';
import type { ConfigError } from '../../src/reader/errors.js';
import { EtcdGateway } from '../../src/sources/etcd/gateway.js';
import { startTlsEtcd, type TlsEtcd } from '../helpers/etcd-tls.js';

let server: TlsEtcd;
let admin: EtcdGateway;

beforeAll(async () => {
  server = await startTlsEtcd();
  admin = new EtcdGateway({
    hosts: [server.endpoint],
    tls: { ca: server.tls.ca, cert: server.tls.cert, key: server.tls.key },
  });
  await admin.put('/tls/app/port', '8443');
}, 40_000);

afterAll(async () => {
  admin?.close();
  await server?.close();
});

describe('etcd over TLS', () => {
  it('reads and watches with a CA, a client certificate and its key', async () => {
    const { ca, cert, key } = server.tls;
    const config = await loadConfig({
      sources: [etcd({ prefix: '/tls/app/', hosts: server.endpoint, tls: { ca, cert, key } })],
    });
    try {
      expect(config.get('port')).toBe(8443);
      const next = new Promise((resolve) => {
        const subscription = config.watch('port', { emitCurrent: false }).subscribe((port) => {
          subscription.unsubscribe();
          resolve(port);
        });
      });
      await admin.put('/tls/app/port', '9443');
      expect(await next).toBe(9443);
    } finally {
      await config.close();
    }
  });

  it('a wrong CA is a clear SOURCE_READ naming TLS and the tls option', async () => {
    const { otherCa, cert, key } = server.tls;
    const source = etcd({
      prefix: '/tls/app/',
      hosts: server.endpoint,
      tls: { ca: otherCa, cert, key },
      dialTimeout: 2000,
    });
    const error = (await source.read().catch((e: unknown) => e)) as ConfigError;
    await source.close();
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toMatch(/TLS with etcd at https:.*check the tls option/s);
  });

  it('a missing client certificate is a clear SOURCE_READ naming TLS and the tls option', async () => {
    const source = etcd({
      prefix: '/tls/app/',
      hosts: server.endpoint,
      tls: { ca: server.tls.ca },
      dialTimeout: 2000,
    });
    const error = (await source.read().catch((e: unknown) => e)) as ConfigError;
    await source.close();
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toMatch(/TLS with etcd at https:.*check the tls option/s);
  });
});
