/**
 * `npm run bench`: runs every registered row (bench/rows/index.ts) in this one process, one after
 * another, and rewrites bench/README.md whole from this one run: one table with each goal, today's
 * figure (0.2, from bench/rows/baseline.json), the new one, whether it is met and why, the command of
 * each row, and the machine with its load. Options:
 *   --only a,b        run these row ids only; print the table, leave bench/README.md alone
 *   --baseline FILE   write the figures as JSON to FILE instead (to record "today" on an old commit)
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MODULES } from './rows/index.js';
import type { BenchRow, RowResult } from './rows/types.js';

interface Baseline {
  commit: string;
  measuredAt: string;
  load: string;
  rows: Record<string, { figure: string; numbers?: Record<string, number> }>;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const only = option('--only')?.split(',');
const baselineOut = option('--baseline');

const uptime = (): string => {
  try {
    return execSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(', ')}`;
  }
};

const rows: BenchRow[] = [];
for (const load of MODULES) rows.push(...(await load()).rows);
const selected = only ? rows.filter((row) => only.includes(row.id)) : rows;

const started = new Date();
const loadBefore = uptime();
const results = new Map<string, RowResult>();
for (const row of selected) {
  process.stderr.write(`${row.id}: ${row.operation}…\n`);
  const t0 = performance.now();
  try {
    results.set(row.id, await row.run());
  } catch (error) {
    results.set(row.id, { figure: 'failed', why: (error as Error).message.split('\n')[0] });
  }
  process.stderr.write(
    `  ${results.get(row.id)?.figure} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
  );
}
const loadAfter = uptime();
const seconds = (Date.now() - started.getTime()) / 1000;

if (baselineOut) {
  const baseline: Baseline = {
    commit: execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim(),
    measuredAt: started.toISOString(),
    load: loadBefore,
    rows: Object.fromEntries(
      [...results].map(([id, result]) => [id, { figure: result.figure, numbers: result.numbers ?? {} }]),
    ),
  };
  writeFileSync(baselineOut, `${JSON.stringify(baseline, null, 2)}\n`);
  process.exit(0);
}

const baselinePath = `${here}rows/baseline.json`;
const baseline: Baseline | undefined = existsSync(baselinePath)
  ? (JSON.parse(readFileSync(baselinePath, 'utf8')) as Baseline)
  : undefined;

const cell = (text: string | undefined): string => (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const verdict = (result: RowResult | undefined): string => {
  if (!result || result.met === undefined) return `— ${result?.why ?? ''}`;
  return `${result.met ? '**met**' : '**not met**'}: ${result.why ?? ''}`;
};
const lines = [
  '# Benchmarks',
  '',
  'Generated whole by `npm run bench` (bench/run.ts) from one run; do not edit by hand. Each row is a',
  'module registered in bench/rows/index.ts. "0.2" is the same measurement on commit',
  `${baseline?.commit ?? '5b44221'} (bench/rows/baseline.json, measured ${baseline?.measuredAt ?? '?'}, ${baseline?.load ?? ''}).`,
  'Whole-process timings start `node` with a fresh environment (no `NODE_EXTRA_CA_CERTS`); every ratio',
  'comes from alternating runs side by side with the peer, and figures are medians.',
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  `Load (uptime) before: \`${loadBefore}\`; after: \`${loadAfter}\`. The run took ${seconds.toFixed(0)} s.`,
  '',
  '| operation | peer | 0.2 (5b44221) | now | goal | met? | command |',
  '|---|---|---|---|---|---|---|',
  ...selected.map((row) => {
    const result = results.get(row.id);
    const peer = result?.peer ? `${row.peer}: ${result.peer}` : row.peer;
    return `| ${cell(row.operation)} | ${cell(peer)} | ${cell(baseline?.rows[row.id]?.figure ?? 'n/a')} | ${cell(result?.figure)} | ${cell(row.goal)} | ${cell(verdict(result))} | \`npm run bench -- --only ${row.id}\` |`;
  }),
  '',
];
const table = lines.join('\n');
console.log(table);
if (!only) writeFileSync(`${here}README.md`, table);
