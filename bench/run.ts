import { existsSync } from 'node:fs';
import { arch, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Runs every benchmark in bench/ in this one process and prints one markdown table (the README's).
 * Benchmarks whose prerequisites are missing (etcd binary) are reported as skipped.
 */
interface Row {
  name: string;
  livecfg: string;
  peer: string;
  ratio?: number;
  goal: string;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const benches = [
  'get.bench.ts',
  'load.bench.ts',
  'reload.bench.ts',
  'incremental.bench.ts',
  'consul.bench.ts',
  'etcd.bench.ts',
  'etcd-large.bench.ts',
  'etcd-scale.ts',
  'stall.bench.ts',
  'coldstart.bench.ts',
  'inspector.bench.ts',
];

const rows: Row[] = [];
for (const name of benches) {
  if (!existsSync(`${here}${name}`)) continue;
  process.stderr.write(`running ${name}…\n`);
  try {
    const module = (await import(`./${name}`)) as { run(): Promise<Row | Row[]> };
    const result = await module.run();
    rows.push(...(Array.isArray(result) ? result : [result]));
  } catch (error) {
    rows.push({ name, livecfg: 'skipped', peer: (error as Error).message.split('\n')[0] ?? '', goal: '' });
  }
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(
  `Machine: ${cpus().length} × ${cpu} (${arch()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
);
console.log('| benchmark | livecfg | peer / detail | ratio | goal |');
console.log('|---|---|---|---|---|');
for (const row of rows) {
  const ratio = row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`;
  console.log(`| ${row.name} | ${row.livecfg} | ${row.peer} | ${ratio} | ${row.goal} |`);
}
