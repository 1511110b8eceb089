/**
 * Consul over TLS (issue 14, item 4): `tls: { ca, cert, key }` and the CONSUL_CACERT /
 * CONSUL_CLIENT_CERT / CONSUL_CLIENT_KEY defaults, against an https server that requires client
 * certificates (certificates made by openssl at test time).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigError } from '../../src/reader/errors.js';
import { consul } from '../../src/sources/consul/consul.js';
import { makeCertificates, type TlsMaterial } from '../helpers/etcd-tls.js';

let dir: string;
let tls: TlsMaterial;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'livecfg-consul-tls-'));
  tls = await makeCertificates(dir);
  server = createServer(
    { cert: tls.serverCert, key: tls.serverKey, ca: tls.ca, requestCert: true, rejectUnauthorized: true },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-consul-index': '3' });
      res.end(
        JSON.stringify([{ Key: 'app/port', Value: Buffer.from('8443').toString('base64'), ModifyIndex: 3 }]),
      );
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}, 30_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('Consul over TLS', () => {
  it('reads with tls: { ca, cert, key } (which implies https)', async () => {
    const { ca, cert, key } = tls;
    const source = consul({
      prefix: 'app/',
      host: '127.0.0.1',
      port,
      tls: { ca, cert, key },
      environ: () => ({}),
    });
    expect((await source.read()).data).toEqual({ port: 8443 });
    await source.close();
  });

  it('takes the files named by CONSUL_CACERT, CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY', async () => {
    await writeFile(join(dir, 'c.pem'), tls.ca);
    await writeFile(join(dir, 'cc.pem'), tls.cert);
    await writeFile(join(dir, 'ck.pem'), tls.key);
    const environ = () => ({
      CONSUL_HTTP_ADDR: `https://127.0.0.1:${port}`,
      CONSUL_CACERT: join(dir, 'c.pem'),
      CONSUL_CLIENT_CERT: join(dir, 'cc.pem'),
      CONSUL_CLIENT_KEY: join(dir, 'ck.pem'),
    });
    const source = consul({ prefix: 'app/', environ });
    expect((await source.read()).data).toEqual({ port: 8443 });
    await source.close();
  });

  it('a wrong CA or a missing client certificate is a SOURCE_READ naming TLS and the options', async () => {
    for (const options of [{ ca: tls.otherCa, cert: tls.cert, key: tls.key }, { ca: tls.ca }]) {
      const source = consul({ prefix: 'app/', host: '127.0.0.1', port, tls: options, environ: () => ({}) });
      const error = (await source.read().catch((e: unknown) => e)) as ConfigError;
      await source.close();
      expect(error.code).toBe('SOURCE_READ');
      expect(error.message).toMatch(
        /TLS with Consul at https:\/\/127\.0\.0\.1:\d+ failed .*check the ca, cert and key/s,
      );
    }
  });

  it('a CONSUL_CACERT file that cannot be read is INVALID_ARGUMENT naming the variable', () => {
    expect(() =>
      consul({ prefix: 'app/', environ: () => ({ CONSUL_CACERT: join(dir, 'missing.pem') }) }),
    ).toThrow(/CONSUL_CACERT=.*missing\.pem/);
  });
});
