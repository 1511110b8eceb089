import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { env, file, loadConfig, memory } from '../src/index.js';
import { isMain, median } from './harness.js';

/** One row of the benchmark table. */
export interface Row {
  name: string;
  livecfg: string;
  peer: string;
  ratio?: number;
  goal: string;
}

const ms = (value: number): string => `${value.toFixed(value < 1 ? 3 : 2)} ms`;

/** A `groups × perGroup` tree of numbers: `{ g0: { k0: 0, … }, … }`. */
function tree(leaves: number): Record<string, Record<string, number>> {
  const perGroup = Math.ceil(Math.sqrt(leaves));
  const out: Record<string, Record<string, number>> = {};
  for (let index = 0; index < leaves; index++) {
    const group = `g${Math.floor(index / perGroup)}`;
    out[group] ??= {};
    (out[group] as Record<string, number>)[`k${index % perGroup}`] = index;
  }
  return out;
}

/** A tree of `leaves` numbers with 10 keys per branch (`{ n0: { n0: { … } } }`): depth log10(leaves). */
function tenAry(leaves: number): Record<string, unknown> {
  const depth = Math.round(Math.log10(leaves));
  const build = (level: number, base: number): unknown => {
    if (level === depth) return base;
    const node: Record<string, unknown> = {};
    for (let key = 0; key < 10; key++) node[`n${key}`] = build(level + 1, base * 10 + key);
    return node;
  };
  return build(0, 0) as Record<string, unknown>;
}

/** Median ms of a one-key `set()` deep in a 10-ary tree of `leaves` leaves (no schema). */
async function oneKeySetTenAry(leaves: number, runs = 60): Promise<number> {
  const config = await loadConfig({ sources: [memory(tenAry(leaves))], watch: false });
  const path = Array.from({ length: Math.round(Math.log10(leaves)) }, () => 'n1');
  const times: number[] = [];
  for (let run = 0; run < runs + 10; run++) {
    const start = performance.now();
    await config.set(path, run + 0.5);
    if (run >= 10) times.push(performance.now() - start);
  }
  await config.close();
  return median(times);
}

const RecordSchema = z.record(z.string(), z.record(z.string(), z.number()));

/** Median ms of a one-key `set()` (published, awaited) on a config of `leaves` leaves. */
async function oneKeySet(leaves: number, schema: boolean, incremental = true, runs = 60): Promise<number> {
  const config = await loadConfig({
    ...(schema ? { schema: RecordSchema } : {}),
    sources: [memory(tree(leaves))],
    watch: false,
    incremental,
  } as Parameters<typeof loadConfig>[0]);
  const times: number[] = [];
  for (let run = 0; run < runs + 10; run++) {
    const start = performance.now();
    await config.set(['g1', 'k1'], run + 0.5);
    if (run >= 10) times.push(performance.now() - start);
  }
  await config.close();
  return median(times);
}

/** Median ms of a whole 10,000-key YAML file rewritten → published (full reload through the file watch). */
async function fullReload(runs = 30): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'livecfg-bench-full-'));
  const path = join(dir, 'big.yaml');
  const body = (counter: number): string => {
    const lines: string[] = [`counter: ${counter}`];
    for (let group = 0; group < 100; group++) {
      lines.push(`g${group}:`);
      for (let key = 0; key < 100; key++) lines.push(`  k${key}: ${group * 100 + key + counter}`);
    }
    return `${lines.join('\n')}\n`;
  };
  await writeFile(path, body(0));
  const config = await loadConfig({ sources: [file(path)] });
  const keepAlive = setInterval(() => {}, 60_000);
  const times: number[] = [];
  try {
    for (let counter = 1; counter <= runs + 5; counter++) {
      const published = new Promise<number>((resolve) => {
        const subscription = config.changes$.subscribe(() => {
          queueMicrotask(() => subscription.unsubscribe());
          resolve(performance.now());
        });
      });
      const start = performance.now();
      await writeFile(path, body(counter));
      const at = await published;
      if (counter > 5) times.push(at - start);
    }
  } finally {
    clearInterval(keepAlive);
    await config.close();
    await rm(dir, { recursive: true, force: true });
  }
  return median(times);
}

/** Retained heap (bytes per leaf) of a 100,000-leaf config, livecfg and node-config side by side. */
async function heapPerLeaf(): Promise<{ livecfg: number; nodeConfig: number } | undefined> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  const leaves = 100_000;
  const measureHeap = async (make: () => Promise<unknown>): Promise<number> => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const held = await make();
    gc();
    const after = process.memoryUsage().heapUsed;
    (globalThis as { held?: unknown }).held = held;
    (globalThis as { held?: unknown }).held = undefined;
    return (after - before) / leaves;
  };
  const livecfg = await measureHeap(async () => {
    const config = await loadConfig({ sources: [memory(tree(leaves))], watch: false });
    config.get('g1.k1');
    return config;
  });
  // node-config in its own process: it is loaded once per process, and other benchmarks load it too.
  const dir = await mkdtemp(join(tmpdir(), 'livecfg-bench-heap-'));
  await writeFile(join(dir, 'default.json'), JSON.stringify(tree(leaves)));
  const script = `
    global.gc(); const before = process.memoryUsage().heapUsed;
    const config = require('config'); config.get('g1.k1');
    global.gc(); console.log((process.memoryUsage().heapUsed - before) / ${leaves});`;
  const child = spawnSync(process.execPath, ['--expose-gc', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, NODE_CONFIG_DIR: dir, SUPPRESS_NO_CONFIG_WARNING: '1' },
    encoding: 'utf8',
  });
  await rm(dir, { recursive: true, force: true });
  const nodeConfig = Number(child.stdout.trim());
  return { livecfg, nodeConfig };
}

/**
 * Median ms of a reload of another source (memory.update → changes$) beside an env() layer, with a
 * small environment and with 100,000 variables (issue 11 item 8): `prefixed` selects 10 of them (the
 * usual case), otherwise all 100,000 become keys of the tree.
 */
async function reloadBesideEnv(variables: number, prefixed: boolean, runs = 30): Promise<number> {
  const environ: Record<string, string> = {};
  for (let index = 0; index < variables; index++) environ[`OTHER_VAR_${index}_NAME`] = String(index);
  for (let index = 0; index < 10; index++) environ[`APP_SETTING_${index}`] = String(index);
  const source = memory({ a: 0 });
  const config = await loadConfig({
    sources: [source, env({ prefix: prefixed ? 'APP_' : '', environ: () => environ })],
  });
  await new Promise((resolve) => setImmediate(resolve));
  const times: number[] = [];
  for (let run = 1; run <= runs + 5; run++) {
    const published = new Promise<number>((resolve) => {
      const subscription = config.changes$.subscribe(() => {
        queueMicrotask(() => subscription.unsubscribe());
        resolve(performance.now());
      });
    });
    const start = performance.now();
    source.update({ a: run });
    const at = await published;
    if (run > 5) times.push(at - start);
  }
  await config.close();
  return median(times);
}

/** The issue 12 rows: one-key changes (with and without a schema, 1,000 vs 100,000 leaves), full reloads, heap. */
export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  const plain = await oneKeySet(100_000, false);
  const plainFull = await oneKeySet(100_000, false, false, 20);
  rows.push({
    name: 'one-key set(), 100,000 leaves, no schema',
    livecfg: ms(plain),
    peer: `full rebuild (incremental: false): ${ms(plainFull)}`,
    ratio: plainFull / plain,
    goal: '≤ 2 ms',
  });
  const zod = await oneKeySet(100_000, true);
  const zodFull = await oneKeySet(100_000, true, false, 10);
  rows.push({
    name: 'one-key set(), 100,000 leaves, zod record(record(number))',
    livecfg: ms(zod),
    peer: `full rebuild + full validation: ${ms(zodFull)}`,
    ratio: zodFull / zod,
    goal: '≤ 3 ms',
  });
  const narrow = await oneKeySet(1_000, true);
  rows.push({
    name: 'one-key set() growth, 1,000 → 100,000 leaves (zod schema, √n-wide groups)',
    livecfg: `${ms(narrow)} → ${ms(zod)}`,
    peer: `×${(zod / narrow).toFixed(2)}`,
    goal: '≤ 2× growth',
  });
  const tenSmall = await oneKeySetTenAry(1_000);
  const tenLarge = await oneKeySetTenAry(100_000);
  rows.push({
    name: 'one-key set() growth, 1,000 → 100,000 leaves (10 keys per branch)',
    livecfg: `${ms(tenSmall)} → ${ms(tenLarge)}`,
    peer: `×${(tenLarge / tenSmall).toFixed(2)}`,
    goal: '≤ 2× growth',
  });
  rows.push({
    name: 'full reload: 10,000-key YAML file rewritten → changes$',
    livecfg: ms(await fullReload()),
    peer: 'whole file re-read, parsed, merged, diffed',
    goal: 'no slower than 0.1.0',
  });
  const small = await reloadBesideEnv(10, true);
  const large = await reloadBesideEnv(100_000, true);
  const all = await reloadBesideEnv(100_000, false, 10);
  rows.push({
    name: 'reload of another source beside env(), 100,000 variables',
    livecfg: `prefix APP_: ${ms(large)}; no prefix (100,000 tree keys): ${ms(all)}`,
    peer: `10 variables: ${ms(small)}`,
    goal: '±10 ms of the small environment',
  });
  const heap = await heapPerLeaf();
  rows.push({
    name: 'retained heap, 100,000-leaf config',
    livecfg: heap ? `${heap.livecfg.toFixed(0)} B/leaf` : 'run with --expose-gc',
    peer: heap ? `node-config: ${heap.nodeConfig.toFixed(0)} B/leaf` : '',
    ...(heap ? { ratio: heap.nodeConfig / heap.livecfg } : {}),
    goal: 'report',
  });
  return rows;
}

if (isMain(import.meta.url)) {
  for (const row of await run()) console.log(row);
}
