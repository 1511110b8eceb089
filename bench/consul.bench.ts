/**
 * Consul change → emission latency: the in-process Consul KV server, the consul source's `watch()`,
 * and sequential HTTP PUTs, each timed from the moment the PUT is sent to the moment the source
 * emits the ChangeSet holding it. Run alone with `npx tsx bench/consul.bench.ts`.
 */

import type { ChangeSet } from '../src/source-kit/source.js';
import { consul } from '../src/sources/consul/consul.js';
import { startConsulServer } from '../test/consul-server/server.js';
import { isMain, type LatencyResult, summarizeLatency } from './harness.js';

/** The benchmark's numbers, and its row for bench/run.ts. */
export interface ConsulBenchResult extends LatencyResult {
  name: string;
  livecfg: string;
  peer: string;
  goal: string;
}

const PUTS = 200;
const WARMUP = 10;
const PREFIX = 'bench/app/';

/** Resolves with the first ChangeSet whose `v` is `value`; rejects after 5 s. */
function arrival(waiters: Map<number, (at: number) => void>, value: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ChangeSet with v=${value} within 5 s`)), 5000);
    waiters.set(value, (at) => {
      clearTimeout(timer);
      resolve(at);
    });
  });
}

/** Runs the measurement against a fresh in-process server and returns the percentiles. */
export async function run(): Promise<ConsulBenchResult> {
  const server = await startConsulServer();
  const source = consul({ prefix: PREFIX, host: server.host, port: server.port, environ: () => ({}) });
  const waiters = new Map<number, (at: number) => void>();
  try {
    server.put(`${PREFIX}v`, '0');
    await source.read();
    const subscription = source.watch().subscribe((change: ChangeSet) => {
      const at = performance.now();
      const value = change.data.v;
      if (typeof value !== 'number') return;
      waiters.get(value)?.(at);
      waiters.delete(value);
    });
    const latencies: number[] = [];
    for (let value = 1; value <= PUTS + WARMUP; value++) {
      const arrived = arrival(waiters, value);
      const sentAt = performance.now();
      const response = await fetch(`${server.url}/v1/kv/${PREFIX}v`, { method: 'PUT', body: String(value) });
      await response.text();
      latencies.push((await arrived) - sentAt);
    }
    subscription.unsubscribe();
    const result = summarizeLatency(latencies.slice(WARMUP));
    return {
      name: `Consul PUT → watch() ChangeSet (${PUTS} sequential PUTs, in-process KV server)`,
      livecfg: `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`,
      peer: "blocking query on ?recurse, the source kit's HTTP client",
      goal: 'p99 ≤ 50 ms',
      ...result,
    };
  } finally {
    await source.close();
    await server.close();
  }
}

if (isMain(import.meta.url)) {
  const result = await run();
  console.log(`Consul PUT-sent → ChangeSet-emitted latency over ${result.samples} sequential PUTs:`);
  console.log('| stage | samples | p50 | p99 | max |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| consul source watch() ChangeSet | ${result.samples} | ${result.p50Ms} ms | ${result.p99Ms} ms | ${result.maxMs} ms |`,
  );
}
