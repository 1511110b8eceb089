/**
 * etcd down (issue 11, item 6): one reconnect loop with capped, jittered backoff (no timer storm),
 * and a process that exits by itself while etcd is unreachable.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measure } from '../../bench/etcd-down.js';
import { startEtcd } from '../helpers/etcd-server.js';

describe('etcd down', () => {
  it('keeps timers bounded while etcd is unreachable (0.1.0: hundreds within seconds)', async () => {
    const result = await measure(4);
    expect(result.maxTimers).toBeLessThanOrEqual(3);
    expect(result.errorsReported).toBeLessThanOrEqual(3);
    expect(result.errorsReported).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('a process watching etcd exits by itself after etcd stops, without close()', async () => {
    const server = await startEtcd();
    try {
      const child = fileURLToPath(new URL('../fixtures/etcd-down-child.ts', import.meta.url));
      const proc = spawn(process.execPath, ['--import', 'tsx', child, server.endpoint, '/down-child/'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      proc.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const watching = new Promise<void>((resolve, reject) => {
        proc.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('watching')) resolve();
        });
        proc.once('exit', () => reject(new Error(`child exited before watching:\n${stderr}`)));
      });
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      // The child holds itself alive until its watch reports etcd down; after that only livecfg's
      // own handles could hold it.
      await watching;
      await server.stop();
      const killer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(killer);
      expect(proc.signalCode, `killed after 20 s: the process did not exit by itself\n${stderr}`).toBeNull();
      expect(code).toBe(0);
      expect(stdout).toMatch(/down (SOURCE_READ|TIMEOUT)/);
    } finally {
      await server.close();
    }
  }, 40_000);
});
