/**
 * `livecfg/etcd` needs no client package (issue 22, item 6): importing it and reading from a real etcd
 * loads no gRPC module and no `etcd3`, in a fresh process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EtcdServer, startEtcd } from '../helpers/etcd-server.js';

const run = promisify(execFile);
let server: EtcdServer;

beforeAll(async () => {
  server = await startEtcd();
});

afterAll(async () => {
  await server?.close();
});

describe('livecfg/etcd without a client package', () => {
  it('importing livecfg/etcd and reading from etcd loads no grpc, protobuf or etcd3 module', async () => {
    const child = fileURLToPath(new URL('../fixtures/etcd-modules-child.ts', import.meta.url));
    const recorder = fileURLToPath(new URL('../fixtures/record-modules.mjs', import.meta.url));
    const dir = await mkdtemp(join(tmpdir(), 'livecfg-modules-'));
    const file = join(dir, 'modules.txt');
    const { stdout } = await run(
      process.execPath,
      ['--import', recorder, '--import', 'tsx', child, server.endpoint],
      {
        timeout: 20_000,
        env: { ...process.env, LIVECFG_MODULES_FILE: file },
      },
    );
    const report = JSON.parse(stdout) as { data: unknown; modules: string[] };
    report.modules.push(...(await readFile(file, 'utf8')).split('\n'));
    await rm(dir, { recursive: true, force: true });
    // The read really happened (the check is not vacuous) …
    expect(report.data).toEqual({ port: 8080 });
    // … and the module list is real: livecfg's own etcd files are in it.
    expect(report.modules.some((path) => path.includes('/sources/etcd/gateway.'))).toBe(true);
    expect(report.modules.filter((path) => /grpc|protobuf|proto-loader|[\\/]etcd3[\\/]/.test(path))).toEqual(
      [],
    );
  }, 30_000);

  it('package.json names no etcd3 or grpc package anywhere', async () => {
    const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
    expect(text).not.toMatch(/"etcd3"|grpc/);
  });
});
