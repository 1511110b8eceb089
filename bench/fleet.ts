/**
 * The fleet's goals (issue 24), on a real etcd started here. Run alone: `npx tsx bench/fleet.ts [N]`.
 * - rollout: N in-process configs (default 100), each with its own etcd source and its own reporter
 *   (own store connection); one CAS put → every record shows the revision (what `fleet
 *   --wait-revision` waits for, read the same way): p50 / p99 over 20 puts.
 * - fleet over 1,000 instance keys: `runFleet` in process (one prefix read + rows + JSON).
 * - SIGKILL: one instance process with a 2 s TTL, killed → its key gone (ms after the kill).
 * - writes per instance under 100 config changes per second for 5 s.
 * - 1,000 races: two concurrent CAS writes on the same mod revision → exactly one winner.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { runFleet } from '../src/cli/fleet.js';
import { etcd } from '../src/etcd.js';
import {
  type FleetReporter,
  fleetPrefix,
  fleetReporter,
  openFleetStore,
  parseRecords,
} from '../src/fleet.js';
import { type Config, loadConfig } from '../src/index.js';
import { EtcdGateway } from '../src/sources/etcd/gateway.js';
import { startEtcd } from '../test/helpers/etcd-server.js';

const N = Number(process.argv[2] ?? 100);
const server = await startEtcd();
const admin = new EtcdGateway({ hosts: [server.endpoint] });
const store = openFleetStore({ store: 'etcd', etcd: { hosts: server.endpoint } });
const results: Array<[string, string]> = [];
const load = () => loadavg()[0]?.toFixed(1);
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function rollout(): Promise<void> {
  await admin.put('config/bench/limits/max', '0');
  const configs: Config<unknown>[] = [];
  const reports: FleetReporter[] = [];
  for (let i = 0; i < N; i++) {
    const config = (await loadConfig({
      sources: [etcd({ prefix: 'config/bench/', hosts: server.endpoint })],
    })) as unknown as Config<unknown>;
    configs.push(config);
    reports.push(
      fleetReporter(config, {
        store: 'etcd',
        etcd: { hosts: server.endpoint },
        service: 'bench',
        instance: `i${i}`,
      }),
    );
  }
  await Promise.all(reports.map((report) => report.ready));
  const prefix = fleetPrefix(undefined, 'bench');
  const times: number[] = [];
  for (let round = 1; round <= 20; round++) {
    const current = await store.get('config/bench/limits/max', { background: false });
    const started = performance.now();
    const written = await store.cas(
      'config/bench/limits/max',
      String(round),
      current.kv?.modRevision ?? '0',
      {
        background: false,
      },
    );
    let read = await store.list(prefix, { background: false });
    for (;;) {
      const records = parseRecords(read.keys.map((key) => key.value));
      const applied = records.filter((record) =>
        record.sources.some(
          (source) => source.revision !== null && BigInt(source.revision) >= BigInt(written.revision),
        ),
      );
      if (records.length === N && applied.length === N) break;
      read = await store.waitList(prefix, read.revision, 2000, { background: false });
    }
    times.push(performance.now() - started);
    // Let the 1 s coalescing window pass so that each round starts from a quiet reporter.
    await new Promise((resolve) => setTimeout(resolve, 1100));
  }
  results.push([
    `${N} in-process configs (own etcd source + own reporter each): put → all applied`,
    `p50 ${pct(times, 50).toFixed(0)} ms, p99 ${pct(times, 99).toFixed(0)} ms (20 puts; load ${load()})`,
  ]);

  // Writes per instance under a storm of 100 changes per second for 5 s, seen by a watch on the
  // fleet prefix: each instance's writes, and the most it made in any one-second window.
  const seen = new Map<string, number[]>();
  const observer = admin.watch(
    { key: prefix, prefix: true },
    {
      onEvents: (events) => {
        for (const event of events) {
          if (event.type !== 'PUT') continue;
          const times = seen.get(event.key) ?? [];
          times.push(performance.now());
          seen.set(event.key, times);
        }
      },
    },
  );
  const stormStart = performance.now();
  // 500 puts paced at one per 10 ms, not waiting for each answer (a storm, not a queue).
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < 500; i++) {
    pending.push(admin.put('config/bench/limits/max', String(1000 + i)));
    const due = stormStart + (i + 1) * 10;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - stormStart) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  observer.close();
  const perWindow = [...seen.values()].map((times) =>
    Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length)),
  );
  const totals = [...seen.values()].map((times) => times.length);
  results.push([
    'store writes per instance under 100 changes/s (5 s)',
    `at most ${Math.max(...perWindow)} in any 1 s window; ${Math.max(...totals)} writes max over ${seconds.toFixed(1)} s + 1.5 s after (${(500 / seconds).toFixed(0)} changes/s achieved; load ${load()})`,
  ]);
  for (const config of configs) await config.close();
  await Promise.all(reports.map((report) => report.close()));
}

async function fleetOverThousand(): Promise<void> {
  const lease = await admin.leaseGrant(60);
  const record = (i: number) =>
    JSON.stringify({
      service: 'big',
      instance: `i${i}`,
      host: 'h',
      pid: i,
      startedAt: new Date().toISOString(),
      livecfgVersion: '0.3.0',
      configVersion: 3,
      checksum: '0123456789abcdef',
      publishedAt: new Date().toISOString(),
      heartbeatAt: new Date().toISOString(),
      ttlSeconds: 10,
      sources: [{ name: 'etcd:config/big/', status: 'ok', revision: '42', pendingRevision: null }],
      lastRejected: null,
    });
  for (let i = 0; i < 1000; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        admin.put(`livecfg/fleet/big/i${i + k}`, record(i + k), { lease: lease.id }),
      ),
    );
  }
  const env = process.env.ETCDCTL_ENDPOINTS;
  process.env.ETCDCTL_ENDPOINTS = server.endpoint;
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    let out = '';
    const started = performance.now();
    const code = await runFleet(['--store', 'etcd', '--service', 'big', '-o', 'json'], {
      stdout: (text) => {
        out += text;
      },
      stderr: () => {},
      untilInterrupted: () => Promise.resolve(),
    });
    times.push(performance.now() - started);
    if (code !== 0 || (JSON.parse(out) as unknown[]).length !== 1000)
      throw new Error('fleet did not list 1,000 rows');
  }
  process.env.ETCDCTL_ENDPOINTS = env;
  results.push([
    '`livecfg fleet -o json` over 1,000 instance keys (in process)',
    `median ${pct(times, 50).toFixed(0)} ms of 5 (load ${load()})`,
  ]);
  await admin.leaseRevoke(lease.id);
}

async function sigkill(): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/fleet/instance.ts', 'etcd', 'kill', 'k1', '2', 'normal'],
    {
      env: { ...process.env, ETCDCTL_ENDPOINTS: server.endpoint },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await admin.put('config/orders/limits/max', '1');
  await admin.put('config/orders/db/password', 'correct-horse-battery');
  await new Promise<void>((resolve) =>
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()),
  );
  const killedAt = performance.now();
  child.kill('SIGKILL');
  for (;;) {
    const { kv } = await store.get('livecfg/fleet/kill/k1', { background: false });
    if (!kv) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  results.push([
    'SIGKILL → key gone (TTL 2 s; goal ≤ TTL + 2 s)',
    `${(performance.now() - killedAt).toFixed(0)} ms (load ${load()})`,
  ]);
}

async function races(): Promise<void> {
  let winners = 0;
  let exactlyOne = 0;
  for (let round = 0; round < 1000; round++) {
    const current = await store.get('race/key', { background: false });
    const expected = current.kv?.modRevision ?? '0';
    const both = await Promise.all([
      store.cas('race/key', `${round}a`, expected, { background: false }),
      store.cas('race/key', `${round}b`, expected, { background: false }),
    ]);
    const won = both.filter((result) => result.ok).length;
    winners += won;
    if (won === 1) exactlyOne++;
  }
  results.push([
    '1,000 races (two CAS writes on one mod revision, etcd txn)',
    `${exactlyOne} / 1000 with exactly one winner (${winners} wins)`,
  ]);
}

try {
  await rollout();
  await fleetOverThousand();
  await sigkill();
  await races();
} finally {
  store.close();
  admin.close();
  await server.close();
}
console.log(`\nfleet bench (Node ${process.version}, ${new Date().toISOString()})\n`);
console.log('| goal | result |\n|---|---|');
for (const [goal, result] of results) console.log(`| ${goal} | ${result} |`);
