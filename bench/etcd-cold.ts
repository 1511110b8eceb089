/**
 * Cold import of the etcd client, whole process, old against new (issue 22, item 6): `node` importing
 * a built `dist/etcd.js` and what its first read needs (0.2's `livecfg/etcd` loaded `etcd3` and gRPC
 * on the first read; the JSON-gateway source needs nothing more), alternating runs, medians. Every
 * process starts without `NODE_EXTRA_CA_CERTS` (it adds ~40 ms to each start).
 *
 * Run: `npx tsx bench/etcd-cold.ts --old /tmp/old [--runs 15]` where /tmp/old is a built checkout with
 * the etcd3 client installed (`git worktree add /tmp/old 5b44221 && cd /tmp/old && npm ci && npx tsup`),
 * after `npx tsup` here. `npm run bench` runs it in row `etcd-client` when LIVECFG_ETCD_OLD names that
 * checkout.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { isMain, median, percentile } from './harness.js';

const here = new URL('..', import.meta.url).pathname;

/** One side's medians (ms): whole process, over bare node, the import measured inside the process. */
export interface ColdSide {
  wall: number;
  wallP90: number;
  overNode: number;
  inProcess: number;
}

/** The script each process runs: import the entry, then what a first read loads. */
function scripts(oldDir: string, newDir: string) {
  return {
    old: `const t=performance.now();await import(${JSON.stringify(`${oldDir}/dist/etcd.js`)});const {createRequire}=await import('node:module');createRequire(${JSON.stringify(`${oldDir}/package.json`)})('etcd3');console.log(performance.now()-t)`,
    new: `const t=performance.now();await import(${JSON.stringify(`${newDir}/dist/etcd.js`)});console.log(performance.now()-t)`,
  };
}

const cleanEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  return env;
};

function once(args: string[]): { wall: number; inProcess: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', env: cleanEnv() });
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(result.stderr);
  return { wall, inProcess: Number(result.stdout.trim() || 0) };
}

/**
 * Alternating runs of old, new and bare `node -e 0`; medians per side. `oldDir` and `newDir` are
 * package folders with a built `dist/` (the old one with etcd3 installed).
 */
export function coldImport(oldDir: string, newDir: string, runs: number): { old: ColdSide; new: ColdSide } {
  const script = scripts(oldDir, newDir);
  const args = (text: string) => ['--input-type=module', '-e', text];
  const samples = { old: [] as ReturnType<typeof once>[], new: [] as ReturnType<typeof once>[] };
  const bare: number[] = [];
  once(args(script.old));
  once(args(script.new));
  for (let run = 0; run < runs; run++) {
    samples.old.push(once(args(script.old)));
    samples.new.push(once(args(script.new)));
    bare.push(once(['-e', '0']).wall);
  }
  const side = (list: ReturnType<typeof once>[]): ColdSide => {
    const wall = list.map((sample) => sample.wall);
    return {
      wall: median(wall),
      wallP90: percentile(wall, 90),
      overNode: median(wall) - median(bare),
      inProcess: median(list.map((sample) => sample.inProcess)),
    };
  };
  return { old: side(samples.old), new: side(samples.new) };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: { old: { type: 'string' }, runs: { type: 'string', default: '15' } },
  });
  if (values.old === undefined) throw new Error('--old DIR is required (a built checkout with etcd3)');
  const result = coldImport(values.old, here, Number(values.runs));
  console.log(`cold import of livecfg/etcd + its client, ${values.runs} alternating runs, medians (p90):`);
  console.log('| client | whole process | over bare node | import in process |');
  console.log('|---|---|---|---|');
  for (const name of ['old', 'new'] as const) {
    const r = result[name];
    console.log(
      `| ${name === 'old' ? 'etcd3 (gRPC)' : 'JSON gateway'} | ${r.wall.toFixed(1)} ms (${r.wallP90.toFixed(1)}) | +${r.overNode.toFixed(1)} ms | ${r.inProcess.toFixed(1)} ms |`,
    );
  }
}
