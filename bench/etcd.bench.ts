/**
 * etcd change → emission latency against a real etcd: sequential puts, each timed from the moment
 * the put resolved to the moment the change arrived, both at the source (`watch()` ChangeSet) and
 * end to end (`config.watch(path)`). Run alone with `npx tsx bench/etcd.bench.ts`.
 */

import { filter, firstValueFrom, type Observable, Subject, timeout } from 'rxjs';
import { etcd } from '../src/etcd.js';
import { loadConfig } from '../src/index.js';
import { EtcdGateway } from '../src/sources/etcd/gateway.js';
import { type EtcdServer, startEtcd } from '../test/helpers/etcd-server.js';
import { isMain, type LatencyResult, summarizeLatency } from './harness.js';

/** The benchmark's row for bench/run.ts, with the raw numbers. */
export interface EtcdBenchResult {
  name: string;
  livecfg: string;
  peer: string;
  goal: string;
  source: LatencyResult;
  endToEnd: LatencyResult;
}

const PUTS = 200;
const WARMUP = 10;

/** Puts `v = 1..count` one after another; returns put-resolved → `arrived(v)` latencies in ms. */
async function timePuts(
  admin: EtcdGateway,
  key: string,
  values: Observable<unknown>,
  count: number,
  offset: number,
): Promise<number[]> {
  const seen = new Map<number, number>();
  const subscription = values.subscribe((value) => {
    if (typeof value === 'number' && !seen.has(value)) seen.set(value, performance.now());
  });
  const latencies: number[] = [];
  try {
    for (let index = 1; index <= count; index++) {
      const value = offset + index;
      const arrived = seen.has(value)
        ? Promise.resolve()
        : firstValueFrom(
            values.pipe(
              filter((v) => v === value),
              timeout(5000),
            ),
          );
      await admin.put(key, String(value));
      const resolvedAt = performance.now();
      await arrived;
      // The event may arrive before the put's response: that counts as zero latency.
      latencies.push(Math.max(0, (seen.get(value) ?? performance.now()) - resolvedAt));
    }
  } finally {
    subscription.unsubscribe();
  }
  return latencies.slice(WARMUP);
}

/** Runs both measurements against a fresh etcd and returns their percentiles. */
export async function run(): Promise<EtcdBenchResult> {
  const server: EtcdServer = await startEtcd();
  const admin = new EtcdGateway({ hosts: [server.endpoint] });
  try {
    const prefix = '/bench/app/';
    await admin.put(`${prefix}v`, '0');

    const source = etcd({ prefix, hosts: server.endpoint });
    await source.read();
    const sourceValues = new Subject<unknown>();
    const sourceSubscription = source.watch().subscribe((change) => sourceValues.next(change.data.v));
    const sourceLatencies = await timePuts(admin, `${prefix}v`, sourceValues, PUTS + WARMUP, 0);
    sourceSubscription.unsubscribe();
    await source.close();

    const config = await loadConfig({ sources: [etcd({ prefix, hosts: server.endpoint })] });
    const endToEnd = await timePuts(admin, `${prefix}v`, config.watch('v'), PUTS + WARMUP, 100_000);
    await config.close();

    const sourceResult = summarizeLatency(sourceLatencies);
    const endResult = summarizeLatency(endToEnd);
    return {
      name: `etcd put → emission (${PUTS} sequential puts)`,
      livecfg: `config.watch p50 ${endResult.p50Ms} ms, p99 ${endResult.p99Ms} ms`,
      peer: `source ChangeSet p50 ${sourceResult.p50Ms} ms, p99 ${sourceResult.p99Ms} ms`,
      goal: 'p99 ≤ 50 ms',
      source: sourceResult,
      endToEnd: endResult,
    };
  } finally {
    admin.close();
    await server.close();
  }
}

if (isMain(import.meta.url)) {
  const result = await run();
  console.log(`etcd put-resolved → emission latency over ${PUTS} sequential puts:`);
  console.log('| stage | p50 | p99 | max |');
  console.log('|---|---|---|---|');
  for (const [stage, r] of [
    ['source watch() ChangeSet', result.source],
    ['config.watch(path)', result.endToEnd],
  ] as const) {
    console.log(`| ${stage} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.maxMs} ms |`);
  }
}
