import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { EtcdGateway } from '../../src/sources/etcd/gateway.js';
import { type ConsulTestServer, startConsulServer } from '../consul-server/server.js';
import { CLI, eventually, killAll, runCli, startTs } from '../examples/child.js';
import { type EtcdServer, startEtcd } from '../helpers/etcd-server.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';

afterEach(killAll);

describe('--consul', () => {
  let consul: ConsulTestServer;
  const env = () => ({
    CONSUL_HTTP_ADDR: consul.address,
    CONSUL_HTTP_TOKEN: undefined,
    CONSUL_HTTP_SSL: undefined,
  });

  beforeAll(async () => {
    consul = await startConsulServer();
    consul.put('config/app/server/port', '8080');
    consul.put('config/app/server/host', 'consul-host');
    consul.put('config/app/db/password', 'hunter2');
    consul.put('config/app.yaml', 'greeting: from a document\nserver:\n  port: 7000\n');
  });
  afterAll(() => consul.close());

  it('print merges a Consul prefix with other sources and redacts secrets', async () => {
    const { code, stdout, stderr } = await runCli(['print', '--env', 'NOPE_', '--consul', 'config/app/'], {
      env: env(),
    });
    expect(withoutNodeWarnings(stderr)).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      server: { port: 8080, host: 'consul-host' },
      db: { password: '[redacted]' },
    });
  });

  it('explain names the Consul key and its ModifyIndex; --consul-key reads one document', async () => {
    const modifyIndex = consul.get('config/app/server/port')?.modifyIndex;
    const explain = await runCli(
      ['explain', 'server.port', '--consul-key', 'config/app.yaml', '--consul', 'config/app/'],
      {
        env: env(),
      },
    );
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain(
      `server.port = 8080\n  from consul:config/app/ (consul key config/app/server/port (ModifyIndex ${modifyIndex}))`,
    );
    expect(explain.stdout).toMatch(/7000 from consul:config\/app\.yaml/);

    const doc = await runCli(['get', 'greeting', '--consul-key', 'config/app.yaml'], { env: env() });
    expect(doc).toMatchObject({ code: 0, stdout: 'from a document\n' });
  });

  it('watch prints a KV change with the key it came from', async () => {
    const child = startTs(CLI, ['watch', 'server', '--consul', 'config/app/', '-o', 'yaml'], { env: env() });
    await child.waitFor(/watching server/, { stream: 'stderr' });
    consul.put('config/app/server/port', '9090');
    const index = consul.get('config/app/server/port')?.modifyIndex;
    await child.waitFor(/value: 9090/);
    const [, document] = child.stdout.split('---\n');
    expect(parseYaml(document as string)).toMatchObject({
      trigger: 'consul:config/app/',
      changes: [
        {
          path: 'server.port',
          previous: 8080,
          value: 9090,
          source: 'consul:config/app/',
          origin: { consulKey: 'config/app/server/port', modifyIndex: index },
        },
      ],
    });
    expect(await child.stop('SIGINT')).toMatchObject({ code: 0 });
  });

  it('a Consul that cannot be reached fails with exit 1 and a message naming the source', async () => {
    const { code, stderr } = await runCli(['print', '--consul', 'config/app/'], {
      env: { CONSUL_HTTP_ADDR: '127.0.0.1:1', CONSUL_HTTP_TOKEN: undefined },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('consul:config/app/');
  });
});

describe('--etcd', () => {
  let server: EtcdServer;

  beforeAll(async () => {
    server = await startEtcd();
    const client = new EtcdGateway({ hosts: [server.endpoint] });
    try {
      await client.put('/config/app/server/port', '8080');
      await client.put('/config/app/auth/token', '"s3cr3t"');
    } finally {
      client.close();
    }
  });
  afterAll(() => server?.close());

  it('print and get read the prefix (ETCDCTL_ENDPOINTS), secrets redacted', async () => {
    const env = { ETCDCTL_ENDPOINTS: server.endpoint };
    const print = await runCli(['print', '--etcd', '/config/app/'], { env });
    expect(withoutNodeWarnings(print.stderr)).toBe('');
    expect(JSON.parse(print.stdout)).toEqual({ server: { port: 8080 }, auth: { token: '[redacted]' } });
    const get = await runCli(['get', 'server.port', '--etcd', '/config/app/'], { env });
    expect(get).toMatchObject({ code: 0, stdout: '8080\n' });
  });

  it('watch prints an etcd change', async () => {
    const child = startTs(CLI, ['watch', '--etcd', '/config/app/', '-o', 'json'], {
      env: { ETCDCTL_ENDPOINTS: server.endpoint },
    });
    await child.waitFor(/watching the configuration/, { stream: 'stderr' });
    const client = new EtcdGateway({ hosts: [server.endpoint] });
    try {
      await client.put('/config/app/server/port', '9191');
    } finally {
      client.close();
    }
    const [line] = await eventually(async () => /^\{.*\}$/m.exec(child.stdout) ?? undefined, {
      what: 'a change line',
    });
    expect(JSON.parse(line)).toMatchObject({
      changes: [{ path: 'server.port', value: 9191, origin: { etcdKey: '/config/app/server/port' } }],
    });
    expect(await child.stop('SIGINT')).toMatchObject({ code: 0 });
  });
});
