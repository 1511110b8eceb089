// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} references are the subject of these tests
/**
 * Key documents on Consul and etcd decode with one set of rules (the kit's decoder): `${VAR}` is not
 * interpolated unless `interpolate: true` (issue 11, item 9), a custom `parser` is used when given,
 * an empty value is an empty layer, a missing key is NOT_FOUND unless optional.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcd } from '../../src/etcd.js';
import type { Parser } from '../../src/reader/contract.js';
import type { ConfigError } from '../../src/reader/errors.js';
import { consul } from '../../src/sources/consul/consul.js';
import { type ConsulTestServer, startConsulServer } from '../consul-server/server.js';
import { useEtcd } from '../helpers/use-etcd.js';

const environ = () => ({ SECRET_TOKEN: 's3cr3t' });
const DOCUMENT = '{"token":"${SECRET_TOKEN}"}';
/** A parser of "key=value" lines, with line origins. */
const lines: Parser = {
  name: 'lines',
  parse(text) {
    const data: Record<string, string> = {};
    const at = new Map<string, number>();
    text.split('\n').forEach((line, index) => {
      const [key, value] = line.split('=');
      if (key && value !== undefined) {
        data[key.trim()] = value.trim();
        at.set(key.trim(), index + 1);
      }
    });
    return {
      data,
      origins: { lookup: (path) => (at.has(path[0] ?? '') ? { line: at.get(path[0] ?? '') } : undefined) },
    };
  },
};

describe('etcd key documents', () => {
  const fixture = useEtcd();
  const open = (key: string, options: Record<string, unknown> = {}) =>
    etcd({ key, hosts: fixture.server.endpoint, environ, ...options });

  it('does not interpolate ${VAR} unless interpolate: true', async () => {
    await fixture.admin.put('/doc/app.json', DOCUMENT);
    const off = open('/doc/app.json');
    const on = open('/doc/app.json', { interpolate: true });
    expect((await off.read()).data).toEqual({ token: '${SECRET_TOKEN}' });
    expect((await on.read()).data).toEqual({ token: 's3cr3t' });
    await off.close();
    await on.close();
  });

  it('uses a custom parser, with origins carrying the etcd key and the parser line', async () => {
    await fixture.admin.put('/doc/app.lines', 'a = 1\nb = two');
    const source = open('/doc/app.lines', { parser: lines });
    const read = await source.read();
    expect(read.data).toEqual({ a: '1', b: 'two' });
    expect(read.origins?.lookup(['b'])).toMatchObject({ etcdKey: '/doc/app.lines', line: 2 });
    await source.close();
  });

  it('an empty value is an empty layer; a missing key is NOT_FOUND unless optional', async () => {
    await fixture.admin.put('/doc/empty.json', '  ');
    const empty = open('/doc/empty.json');
    expect((await empty.read()).data).toEqual({});
    const missing = open('/doc/missing.json');
    expect(((await missing.read().catch((e: unknown) => e)) as ConfigError).code).toBe('NOT_FOUND');
    const optional = open('/doc/missing.json', { optional: true });
    expect((await optional.read()).data).toEqual({});
    await Promise.all([empty.close(), missing.close(), optional.close()]);
  });
});

describe('Consul key documents', () => {
  let server: ConsulTestServer;
  beforeAll(async () => {
    server = await startConsulServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  const open = (key: string, options: Record<string, unknown> = {}) =>
    consul({ key, host: '127.0.0.1', port: server.port, environ, ...options });

  it('uses a custom parser, with origins carrying the Consul key and the parser line', async () => {
    server.put('doc/app.lines', 'a = 1\nb = two');
    const source = open('doc/app.lines', { parser: lines });
    const read = await source.read();
    expect(read.data).toEqual({ a: '1', b: 'two' });
    expect(read.origins?.lookup(['b'])).toMatchObject({ consulKey: 'doc/app.lines', line: 2 });
    await source.close();
  });

  it('an empty value is an empty layer; a missing key is NOT_FOUND unless optional', async () => {
    server.put('doc/empty.json', '');
    expect((await open('doc/empty.json').read()).data).toEqual({});
    const error = (await open('doc/missing.json')
      .read()
      .catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('Consul key "doc/missing.json" not found');
    expect((await open('doc/missing.json', { optional: true }).read()).data).toEqual({});
  });
});
