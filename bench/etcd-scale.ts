/**
 * etcd at scale (issue 21): N keys under one prefix (`/scale/tenant<i % 100>/flag<i>`, numeric values)
 * on a real etcd, then `loadConfig({ sources: [etcd({ prefix })] })` with its watch:
 * - load: time until loadConfig resolves (paged range reads straight into the tree);
 * - heap: retained bytes per leaf after two gc() calls, beside a plain `JSON.parse` tree of the same shape;
 * - put → `config.watch(path)` p50/p99 over sequential puts under that prefix.
 *
 * Run: `node --expose-gc --import tsx bench/etcd-scale.ts [--keys 500000] [--puts 100] [--src DIR]`
 * (`--src` times another checkout's `src/`, e.g. one with the old etcd3 client). `npm run bench` runs
 * it as row `etcd-500k` with 50,000 keys (`LIVECFG_ETCD_SCALE_KEYS` sets the size).
 */
import { parseArgs } from 'node:util';
import { EtcdGateway } from '../src/sources/etcd/gateway.js';
import { startEtcd } from '../test/helpers/etcd-server.js';
import { isMain, percentile } from './harness.js';
import { type BenchRow, ms } from './rows/types.js';

/** One run's figures. */
export interface ScaleResult {
  keys: number;
  loadMs: number;
  /** This process's CPU time during the load (the rest is etcd encoding JSON, and waiting). */
  loadCpuMs: number;
  bytesPerLeaf: number | undefined;
  plainBytesPerLeaf: number | undefined;
  p50Ms: number;
  p99Ms: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number | undefined {
  if (gc === undefined) return undefined;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const keyOf = (index: number) => `/scale/tenant${index % 100}/flag${index}`;

/** Writes `keys` keys with transactions of 128 puts (etcd's default --max-txn-ops), 4 at a time. */
async function populate(admin: EtcdGateway, keys: number): Promise<void> {
  const BATCH = 128;
  let next = 0;
  const worker = async () => {
    while (next < keys) {
      const start = next;
      next = Math.min(keys, next + BATCH);
      const success = [];
      for (let index = start; index < next; index++)
        success.push({ put: { key: keyOf(index), value: String(index) } });
      await admin.txn({ compare: [], success }, { background: false });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** The same shape as a plain tree from JSON.parse, for the heap comparison. */
function plainTreeBytes(keys: number): number | undefined {
  const tenants: Record<string, Record<string, number>> = {};
  for (let index = 0; index < keys; index++) {
    const tenant = `tenant${index % 100}`;
    tenants[tenant] ??= {};
    (tenants[tenant] as Record<string, number>)[`flag${index}`] = index;
  }
  const text = JSON.stringify(tenants);
  const before = heapAfterGc();
  const tree = JSON.parse(text) as unknown;
  const after = heapAfterGc();
  if (before === undefined || after === undefined || tree === undefined) return undefined;
  return (after - before) / keys;
}

/** Populates a fresh etcd, loads the prefix through `srcDir`'s livecfg, and measures. */
export async function measureScale(keys: number, puts: number, srcDir: string): Promise<ScaleResult> {
  const { etcd } = (await import(`${srcDir}/etcd.ts`)) as typeof import('../src/etcd.js');
  const { loadConfig } = (await import(`${srcDir}/index.ts`)) as typeof import('../src/index.js');
  const server = await startEtcd();
  const admin = new EtcdGateway({ hosts: [server.endpoint], timeoutMs: 60_000 });
  try {
    await populate(admin, keys);
    const plainBytesPerLeaf = plainTreeBytes(keys);
    const before = heapAfterGc();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const config = await loadConfig({
      sources: [etcd({ prefix: '/scale/', hosts: server.endpoint })],
      readTimeoutMs: 600_000,
    });
    const loadMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const loadCpuMs = (used.user + used.system) / 1000;
    const after = heapAfterGc();
    const times: number[] = [];
    try {
      for (let round = -5; round < puts; round++) {
        const value = -round - 10;
        const emitted = new Promise<number>((resolve) => {
          const subscription = config.watch('tenant7.flag7', { emitCurrent: false }).subscribe((next) => {
            if (next !== value) return;
            queueMicrotask(() => subscription.unsubscribe());
            resolve(performance.now());
          });
        });
        const put = performance.now();
        await admin.put(keyOf(7), String(value));
        const at = await emitted;
        if (round >= 0) times.push(at - put);
      }
    } finally {
      await config.close();
    }
    return {
      keys,
      loadMs,
      loadCpuMs,
      bytesPerLeaf: before === undefined || after === undefined ? undefined : (after - before) / keys,
      plainBytesPerLeaf,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
    };
  } finally {
    admin.close();
    await server.close();
  }
}

/** Keys of the `npm run bench` run: 50,000 (minutes, not a quarter hour); `LIVECFG_ETCD_SCALE_KEYS=500000` for the goal's size. */
const ROW_KEYS = Number(process.env.LIVECFG_ETCD_SCALE_KEYS ?? 50_000);

/** bench/README.md's row (bench/rows/index.ts registers this module). */
export const rows: BenchRow[] = [
  {
    id: 'etcd-500k',
    operation: 'etcd, 500,000 keys under one prefix: load, heap, put → `watch()` p50, 1,000,000 keys',
    peer: '`JSON.parse` tree of the same shape (heap)',
    goal: 'loads in ≤ 7 s; heap ≤ 250 B/leaf; p50 ≤ 15 ms; 1,000,000 keys load',
    async run() {
      const result = await measureScale(ROW_KEYS, 100, new URL('../src', import.meta.url).pathname);
      const heapMet = result.bytesPerLeaf !== undefined && result.bytesPerLeaf <= 250;
      const loadMet = ROW_KEYS >= 500_000 ? result.loadMs <= 7000 : undefined;
      const met = heapMet && result.p50Ms <= 15 && loadMet !== false;
      return {
        figure:
          `${result.keys.toLocaleString('en')} keys: load ${(result.loadMs / 1000).toFixed(2)} s ` +
          `(livecfg CPU ${(result.loadCpuMs / 1000).toFixed(2)} s), ${bytes(result.bytesPerLeaf)}/leaf, ` +
          `put → watch() p50 ${ms(result.p50Ms)}, p99 ${ms(result.p99Ms)}`,
        peer: `${bytes(result.plainBytesPerLeaf)}/leaf`,
        met,
        why:
          ROW_KEYS >= 500_000
            ? 'the load is bounded by etcd 3.4 answering in its JSON gateway (livecfg CPU beside it)'
            : `measured at ${ROW_KEYS.toLocaleString('en')} keys to keep npm run bench short; LIVECFG_ETCD_SCALE_KEYS=500000 (or node --expose-gc --import tsx bench/etcd-scale.ts --keys 500000) for the goal's size`,
        numbers: {
          keys: result.keys,
          loadMs: result.loadMs,
          loadCpuMs: result.loadCpuMs,
          bytesPerLeaf: result.bytesPerLeaf ?? Number.NaN,
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
        },
      };
    },
  },
];

const bytes = (value: number | undefined) =>
  value === undefined ? 'n/a (run with --expose-gc)' : `${Math.round(value)} B`;

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      keys: { type: 'string', default: '50000' },
      puts: { type: 'string', default: '100' },
      src: { type: 'string', default: new URL('../src', import.meta.url).pathname },
    },
  });
  const result = await measureScale(Number(values.keys), Number(values.puts), values.src);
  console.log(`src: ${values.src}`);
  console.log('| keys | load (livecfg CPU) | heap/leaf | JSON.parse tree/leaf | put → watch() p50 | p99 |');
  console.log('|---|---|---|---|---|---|');
  console.log(
    `| ${result.keys.toLocaleString('en')} | ${(result.loadMs / 1000).toFixed(2)} s (${(result.loadCpuMs / 1000).toFixed(2)} s) | ${bytes(result.bytesPerLeaf)} | ${bytes(result.plainBytesPerLeaf)} | ${result.p50Ms.toFixed(2)} ms | ${result.p99Ms.toFixed(2)} ms |`,
  );
}
