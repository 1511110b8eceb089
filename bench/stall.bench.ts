import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchRow } from './get.bench.js';
import { isMain, median } from './harness.js';

const CHILD = fileURLToPath(new URL('./stall/child.ts', import.meta.url));
const RUNS = Number(process.env.STALL_RUNS ?? 3);

/** A ~10 MB YAML document: 500 sections of 100 keys with 180-character strings, and a 30,000-item list. */
export function makeBigYaml(): string {
  const lines: string[] = [];
  for (let section = 0; section < 500; section++) {
    lines.push(`section${section}:`);
    for (let key = 0; key < 100; key++) lines.push(`  key${key}: "${'v'.repeat(180)}"`);
  }
  lines.push('list:');
  for (let item = 0; item < 30_000; item++) lines.push(`  - ${item}`);
  return `${lines.join('\n')}\n`;
}

interface Sample {
  longestGapMs: number;
  readGapMs: number;
  eventLoopDelayMaxMs: number;
  readMs: number;
  totalMs: number;
}

async function sample(mode: string, path: string, idleMs?: number): Promise<Sample> {
  const args = ['--import', 'tsx', CHILD, mode, path, ...(idleMs === undefined ? [] : [String(idleMs)])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Sample;
}

/**
 * The longest event-loop stall while a 10 MB YAML file loads (the file source's read, then a whole
 * `loadConfig`), parsed on the main thread (before) and in the worker (after), each in a fresh
 * process, alternating, median of {@link RUNS} runs; with the idle noise floor of the machine.
 */
export async function run(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'livecfg-stall-'));
  const path = join(dir, 'big.yaml');
  const text = makeBigYaml();
  writeFileSync(path, text);
  const results: Record<'main' | 'worker' | 'idle', Sample[]> = { main: [], worker: [], idle: [] };
  try {
    for (let index = 0; index < RUNS; index++) {
      results.main.push(await sample('main', path));
      const worker = await sample('worker', path);
      results.worker.push(worker);
      results.idle.push(await sample('idle', path, Math.round(worker.totalMs)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mid = (mode: keyof typeof results, field: keyof Sample): number =>
    Math.round(median(results[mode].map((entry) => entry[field])));
  const size = `${(Buffer.byteLength(text) / 2 ** 20).toFixed(1)} MB`;
  return [
    {
      name: `longest event-loop stall while file() reads a ${size} YAML file`,
      livecfg: `${mid('worker', 'readGapMs')} ms (worker; read ${mid('worker', 'readMs')} ms)`,
      peer: `main thread: ${mid('main', 'readGapMs')} ms (read ${mid('main', 'readMs')} ms); idle noise floor ${mid('idle', 'longestGapMs')} ms`,
      ratio: mid('main', 'readGapMs') / Math.max(1, mid('worker', 'readGapMs')),
      goal: '≤ 100 ms',
    },
    {
      name: `longest event-loop stall while loadConfig loads a ${size} YAML file`,
      livecfg: `${mid('worker', 'longestGapMs')} ms (worker; read + load ${mid('worker', 'totalMs')} ms)`,
      peer: `main thread: ${mid('main', 'longestGapMs')} ms (load ${mid('main', 'totalMs')} ms); idle noise floor ${mid('idle', 'longestGapMs')} ms`,
      ratio: mid('main', 'longestGapMs') / Math.max(1, mid('worker', 'longestGapMs')),
      goal: '≤ 100 ms',
    },
  ];
}

if (isMain(import.meta.url)) {
  console.log(await run());
}
