/** http() over TLS with a private CA and a client certificate (certificates made by openssl at test time). */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConfigError } from '../../src/reader/errors.js';
import { http } from '../../src/sources/http/http.js';
import { makeCertificates, type TlsMaterial } from '../helpers/etcd-tls.js';

let dir: string;
let tls: TlsMaterial;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'livecfg-http-tls-'));
  tls = await makeCertificates(dir);
  server = createServer(
    { cert: tls.serverCert, key: tls.serverKey, ca: tls.ca, requestCert: true, rejectUnauthorized: true },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', etag: '"1"' }).end('{"secure":true}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/app.json`;
}, 30_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

it('reads with tls: { ca, cert, key }; a wrong CA or no client certificate is SOURCE_READ naming TLS', async () => {
  const good = http({ url, tls: { ca: tls.ca, cert: tls.cert, key: tls.key } });
  expect((await good.read()).data).toEqual({ secure: true });
  await good.close();
  for (const options of [{ ca: tls.otherCa, cert: tls.cert, key: tls.key }, { ca: tls.ca }]) {
    const source = http({ url, tls: options });
    const error = (await source.read().catch((e: unknown) => e)) as ConfigError;
    await source.close();
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toMatch(/TLS with https:\/\/127\.0\.0\.1:\d+ failed .*check the tls option/s);
  }
});
