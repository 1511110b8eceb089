import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { file, loadConfig, memory } from '../src/index.js';
import { isMain, median, summarizeLatency } from './harness.js';

/** One row of the benchmark table, with the raw numbers (milliseconds) next to the formatted ones. */
export interface ReloadRow {
  name: string;
  livecfg: string;
  peer: string;
  ratio?: number;
  goal: string;
  numbers: Record<string, number>;
}

const CHANGES = 300;
const FANOUT_KEYS = 10_000;
const FANOUT_RUNS = 60;

const ms = (value: number): string => `${value.toFixed(value < 1 && value > -1 ? 3 : 2)} ms`;

/** Resolves on the first emission of `watch(path)` equal to `expected`, with its `performance.now()`. */
function emissionOf(
  config: Awaited<ReturnType<typeof loadConfig>>,
  path: string,
  expected: unknown,
): Promise<number> {
  return new Promise((resolve) => {
    const subscription = config.watch(path, { emitCurrent: false }).subscribe((value) => {
      if (value !== expected) return;
      const at = performance.now();
      queueMicrotask(() => subscription.unsubscribe());
      resolve(at);
    });
  });
}

/**
 * File write → `watch(path)` emission: from the moment `await fs.writeFile` returns to the emission,
 * over {@link CHANGES} sequential changes of a real YAML file (in-place writes). An emission that
 * arrives before the write's promise continuation runs counts as 0.
 */
async function fileLatency(): Promise<ReloadRow> {
  const dir = await mkdtemp(join(tmpdir(), 'livecfg-bench-reload-'));
  const path = join(dir, 'app.yaml');
  const body = 'server:\n  host: localhost\n  port: 8080\nfeature:\n  beta: false\n';
  await writeFile(path, `${body}counter: 0\n`);
  const config = await loadConfig({ sources: [file(path)] });
  const keepAlive = setInterval(() => {}, 60_000); // livecfg's watchers never keep the process alive
  const latencies: number[] = [];
  try {
    for (let counter = 1; counter <= CHANGES + 20; counter++) {
      const emitted = emissionOf(config, 'counter', counter);
      await writeFile(path, `${body}counter: ${counter}\n`);
      const written = performance.now();
      const at = await emitted;
      if (counter > 20) latencies.push(Math.max(0, at - written)); // 20 warm-up changes
    }
  } finally {
    clearInterval(keepAlive);
    await config.close();
    await rm(dir, { recursive: true, force: true });
  }
  const { p50Ms, p99Ms, maxMs, samples } = summarizeLatency(latencies);
  return {
    name: `file write → watch() emission (${CHANGES} changes)`,
    livecfg: `p50 ${ms(p50Ms)}, p99 ${ms(p99Ms)}`,
    peer: `max ${ms(maxMs)}`,
    goal: 'p50 ≤ 25 ms, p99 ≤ 60 ms',
    numbers: { p50Ms, p99Ms, maxMs, changes: samples },
  };
}

/**
 * Fan-out: `memory.update()` → emission of the one changed key, on a 10,000-key tree, with a
 * subscriber on every key vs with a single subscriber. The difference of the medians is the cost
 * of having 10,000 subscribers when one key changes.
 */
async function fanoutCost(): Promise<ReloadRow> {
  const keys: Record<string, number> = {};
  for (let index = 0; index < FANOUT_KEYS; index++) keys[`k${index}`] = index;
  const target = `k${FANOUT_KEYS >> 1}`;

  const measureWith = async (subscribers: number): Promise<number[]> => {
    const source = memory({ keys });
    const config = await loadConfig({ sources: [source], debounceMs: 0 });
    const keepAlive = setInterval(() => {}, 60_000);
    const subscriptions = [];
    for (let index = 0; index < subscribers; index++) {
      const key = subscribers === 1 ? target : `k${index}`;
      subscriptions.push(config.watch(`keys.${key}`, { emitCurrent: false }).subscribe());
    }
    const times: number[] = [];
    try {
      for (let run = 1; run <= FANOUT_RUNS + 5; run++) {
        const value = -run;
        const emitted = emissionOf(config, `keys.${target}`, value);
        const start = performance.now();
        source.update({ keys: { ...keys, [target]: value } });
        const at = await emitted;
        if (run > 5) times.push(at - start);
      }
    } finally {
      for (const subscription of subscriptions) subscription.unsubscribe();
      clearInterval(keepAlive);
      await config.close();
    }
    return times;
  };

  // Alternate the two set-ups so that machine noise hits both alike.
  const many: number[] = [];
  const one: number[] = [];
  for (let round = 0; round < 3; round++) {
    one.push(...(await measureWith(1)));
    many.push(...(await measureWith(FANOUT_KEYS)));
  }
  const withMany = median(many);
  const withOne = median(one);
  const extra = withMany - withOne;
  return {
    name: `fan-out: 1 of ${FANOUT_KEYS.toLocaleString('en')} keys changes (memory.update → emission)`,
    livecfg: `${FANOUT_KEYS.toLocaleString('en')} subscribers: ${ms(withMany)}`,
    peer: `1 subscriber: ${ms(withOne)}; extra ${ms(extra)}`,
    ratio: withMany / withOne,
    goal: '≤ 1 ms extra',
    numbers: { withSubscribersMs: withMany, withOneSubscriberMs: withOne, extraMs: extra },
  };
}

/** Runs both measurements; returns their rows (also used by bench/run.ts). */
export async function run(): Promise<ReloadRow[]> {
  return [await fileLatency(), await fanoutCost()];
}

if (isMain(import.meta.url)) {
  const rows = await run();
  console.log('| benchmark | livecfg | detail | goal |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.name} | ${row.livecfg} | ${row.peer} | ${row.goal} |`);
  console.log(`\n${JSON.stringify(Object.fromEntries(rows.map((row) => [row.name, row.numbers])), null, 2)}`);
}
