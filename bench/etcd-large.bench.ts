/**
 * One-key etcd put under a 50,000-key prefix → `config.watch(path)` emission, end to end through
 * `loadConfig` on a real etcd (issue 12): the source patches its tree and hands the loader a delta,
 * which patches, validates, diffs and fans out along that path only.
 */

import { etcd } from '../src/etcd.js';
import { loadConfig } from '../src/index.js';
import { EtcdGateway } from '../src/sources/etcd/gateway.js';
import { startEtcd } from '../test/helpers/etcd-server.js';
import { isMain, percentile } from './harness.js';

const KEYS = 50_000;
const ROUNDS = 100;

/** The benchmark row. */
export async function run(): Promise<{ name: string; livecfg: string; peer: string; goal: string }> {
  const server = await startEtcd();
  const admin = new EtcdGateway({ hosts: [server.endpoint] });
  try {
    for (let start = 0; start < KEYS; start += 1000) {
      const batch = [];
      for (let index = start; index < Math.min(KEYS, start + 1000); index++) {
        batch.push(admin.put(`/bench/tenant${index % 100}/flag${index}`, String(index)));
      }
      await Promise.all(batch);
    }
    const config = await loadConfig({ sources: [etcd({ prefix: '/bench/', hosts: server.endpoint })] });
    const keepAlive = setInterval(() => {}, 60_000);
    const times: number[] = [];
    try {
      // Wait until the watch stream delivers a first change (it is live), then measure.
      for (let round = -5; round < ROUNDS; round++) {
        const value = String(-round - 10);
        const emitted = new Promise<number>((resolve) => {
          const subscription = config.watch('tenant7.flag7', { emitCurrent: false }).subscribe((next) => {
            if (next !== value && next !== Number(value)) return;
            queueMicrotask(() => subscription.unsubscribe());
            resolve(performance.now());
          });
        });
        const started = performance.now();
        await admin.put('/bench/tenant7/flag7', value);
        const at = await emitted;
        if (round >= 0) times.push(at - started);
      }
    } finally {
      clearInterval(keepAlive);
      await config.close();
    }
    const ms = (value: number): string => `${value.toFixed(2)} ms`;
    return {
      name: `etcd put → watch() emission, ${KEYS.toLocaleString('en')}-key prefix (${ROUNDS} puts)`,
      livecfg: `p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}`,
      peer: 'real etcd 3.4, delta from the watch event',
      goal: 'p50 ≤ 15 ms',
    };
  } finally {
    admin.close();
    await server.close();
  }
}

if (isMain(import.meta.url)) console.log(await run());
