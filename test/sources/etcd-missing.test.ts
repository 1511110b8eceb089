/** `livecfg/etcd` without etcd3 installed: a clear ConfigError naming the missing optional dependency. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadEtcd3 } from '../../src/sources/etcd/client.js';

const run = promisify(execFile);

describe('etcd3 missing', () => {
  it('loading an etcd source without etcd3 rejects with a ConfigError saying how to install it', async () => {
    const hooks = fileURLToPath(new URL('../fixtures/no-etcd3.mjs', import.meta.url));
    const child = fileURLToPath(new URL('../fixtures/etcd-missing-child.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', hooks, child], {
      timeout: 20_000,
    });
    const result = JSON.parse(stdout) as { configError: boolean; code: string; message: string };
    expect(result.configError).toBe(true);
    expect(result.code).toBe('SOURCE_READ');
    expect(result.message).toContain('optional dependency "etcd3"');
    expect(result.message).toContain('npm install etcd3');
    expect(result.message).toContain('etcd:/app/');
  }, 30_000);

  it('other import failures pass through unchanged', async () => {
    const broken = Object.assign(new Error("Cannot find module 'grpc-internal' imported from etcd3"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const failure = await loadEtcd3('etcd:/x/', () => Promise.reject(broken)).catch((e: unknown) => e);
    expect(failure).toBe(broken);
  });
});
