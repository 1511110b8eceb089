/**
 * Resource use while etcd is down (issue 11, item 6). Starts a real etcd, loads a config watching a
 * prefix, stops etcd, then samples active handles/timers and CPU for `SECONDS` (default 15).
 * Prints one JSON line. Run: `npx tsx bench/etcd-down.ts [seconds]`.
 */

import { etcd } from '../src/etcd.js';
import { loadConfig } from '../src/index.js';
import { startEtcd } from '../test/helpers/etcd-server.js';

const seconds = Number(process.argv[2] ?? 15);

function timers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

export async function measure(durationS: number) {
  const server = await startEtcd();
  const config = await loadConfig({ sources: [etcd({ prefix: '/down/', hosts: server.endpoint })] });
  let errors = 0;
  config.errors$.subscribe(() => errors++);
  const before = { resources: process.getActiveResourcesInfo().length, timers: timers() };
  await server.stop();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let maxTimers = 0;
  let maxResources = 0;
  while (performance.now() - start < durationS * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    maxTimers = Math.max(maxTimers, timers());
    maxResources = Math.max(maxResources, process.getActiveResourcesInfo().length);
  }
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - start;
  const result = {
    seconds: durationS,
    timersBefore: before.timers,
    timersAtEnd: timers(),
    maxTimers,
    resourcesBefore: before.resources,
    maxResources,
    cpuPercent: Number((((cpu.user + cpu.system) / 1000 / wallMs) * 100).toFixed(2)),
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    errorsReported: errors,
  };
  await config.close();
  await server.close();
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measure(seconds)));
}
