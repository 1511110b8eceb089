/**
 * Cold import of the etcd client, whole process, old against new (issue 22, item 6): `node` importing
 * a built `dist/etcd.js` and what its first read needs (0.2's `livecfg/etcd` loaded `etcd3` and gRPC
 * on the first read; the JSON-gateway source needs nothing more), alternating runs, medians.
 *
 * Run: `npx tsx bench/etcd-cold.ts --old /tmp/old [--runs 15]` where /tmp/old is a built checkout with
 * the etcd3 client installed (`git worktree add /tmp/old 5b44221 && cd /tmp/old && npm ci && npx tsup`),
 * after `npx tsup` here. Unset NODE_EXTRA_CA_CERTS (it adds ~40 ms to every start).
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { median, percentile } from './harness.js';

const { values } = parseArgs({
  options: { old: { type: 'string' }, runs: { type: 'string', default: '15' } },
});
if (values.old === undefined) throw new Error('--old DIR is required (a built checkout with etcd3)');
const here = new URL('..', import.meta.url).pathname;

/** The script each process runs: import the entry, then what a first read loads. */
const scripts = {
  old: `const t=performance.now();await import(${JSON.stringify(`${values.old}/dist/etcd.js`)});const {createRequire}=await import('node:module');createRequire(${JSON.stringify(`${values.old}/package.json`)})('etcd3');console.log(performance.now()-t)`,
  new: `const t=performance.now();await import(${JSON.stringify(`${here}dist/etcd.js`)});console.log(performance.now()-t)`,
};

function once(script: string): { wall: number; inProcess: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(result.stderr);
  return { wall, inProcess: Number(result.stdout.trim()) };
}

const runs = Number(values.runs);
const samples = {
  old: [] as Array<{ wall: number; inProcess: number }>,
  new: [] as Array<{ wall: number; inProcess: number }>,
};
once(scripts.old);
once(scripts.new);
for (let run = 0; run < runs; run++) {
  samples.old.push(once(scripts.old));
  samples.new.push(once(scripts.new));
}
const baseline: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  baseline.push(performance.now() - started);
}
console.log(`cold import of livecfg/etcd + its client, ${runs} alternating runs, medians (p90):`);
console.log('| client | whole process | over bare node | import in process |');
console.log('|---|---|---|---|');
for (const name of ['old', 'new'] as const) {
  const wall = samples[name].map((sample) => sample.wall);
  const inside = samples[name].map((sample) => sample.inProcess);
  console.log(
    `| ${name === 'old' ? 'etcd3 (gRPC)' : 'JSON gateway'} | ${median(wall).toFixed(1)} ms (${percentile(wall, 90).toFixed(1)}) | +${(median(wall) - median(baseline)).toFixed(1)} ms | ${median(inside).toFixed(1)} ms (${percentile(inside, 90).toFixed(1)}) |`,
  );
}
