/**
 * Cold start of the Nest greeter example, whole process: livecfg (examples/nest-service/main.ts)
 * against the same app on @nestjs/config (main-nestjs-config.ts). Each run is a fresh
 * `node --import tsx` process that loads the YAML, boots Nest (express), listens on port 0, closes
 * and exits; we time spawn → "listening on" (ready) and spawn → exit (whole). Runs alternate A/B so
 * machine load hits both alike; the first pair only warms caches and is not counted.
 *
 * Two ways to run each: `bundled` (what a deployed app runs: each entry bundled by esbuild with every
 * npm package left external, so livecfg is compiled like its dist while Nest, @nestjs/config, zod and
 * yaml load from node_modules as usual; plain `node`), and `tsx` (as `npm run example:nest` runs it:
 * livecfg's TypeScript sources are transpiled per file on every start, the npm packages are not).
 *
 *   npx tsx bench/nest-coldstart.ts [pairs=12] [bundled|tsx|both]
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const VARIANTS = {
  livecfg: join(ROOT, 'examples/nest-service/main.ts'),
  '@nestjs/config': join(ROOT, 'examples/nest-service/main-nestjs-config.ts'),
} as const;
type Variant = keyof typeof VARIANTS;

interface Run {
  readyMs: number;
  exitMs: number;
  /** CPU time (user + system, all threads) the process had used when it listened: robust to machine load. */
  cpuMs: number;
}

type Mode = 'bundled' | 'tsx';

/** Bundles a TypeScript entry to one ESM file, npm packages external (decorators per tsconfig.json). */
async function bundle(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'error',
  });
  return outfile;
}

function runOnce(mode: Mode, entry: string, configFile: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let readyMs = Number.NaN;
    let output = '';
    const prefix = mode === 'tsx' ? ['--import', TSX] : [];
    const child = spawn(process.execPath, [...prefix, entry, '--config', configFile, '--server.port=0'], {
      cwd: ROOT,
      env: { ...process.env, GREETER_EXIT_AFTER_LISTEN: '1', GREETER_INSPECTOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (Number.isNaN(readyMs) && output.includes('listening on ')) readyMs = performance.now() - started;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const exitMs = performance.now() - started;
      const cpuMs = Number(/^cpu ([\d.]+) ms$/m.exec(output)?.[1] ?? Number.NaN);
      if (code !== 0 || Number.isNaN(readyMs) || Number.isNaN(cpuMs)) {
        reject(new Error(`${entry} exited ${code}\n${output}`));
      } else resolve({ readyMs, exitMs, cpuMs });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const pairs = Math.max(1, Number(process.argv[2] ?? 12));
const which = process.argv[3] ?? 'both';
const modes: Mode[] = which === 'both' ? ['bundled', 'tsx'] : [which as Mode];
const dir = mkdtempSync(join(tmpdir(), 'livecfg-coldstart-'));
const configFile = join(dir, 'config.yaml');
copyFileSync(join(ROOT, 'examples/nest-service/config.yaml'), configFile);
const names = Object.keys(VARIANTS) as Variant[];
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const lines: string[] = [];
try {
  for (const mode of modes) {
    const entries = {} as Record<Variant, string>;
    for (const name of names) {
      // Bundles go beside the examples' node_modules (so packages resolve), in the ignored .tmp/.
      entries[name] =
        mode === 'tsx'
          ? VARIANTS[name]
          : await bundle(VARIANTS[name], join(ROOT, '.tmp/coldstart', `${name.replace(/\W/g, '_')}.mjs`));
    }
    const runs: Record<Variant, Run[]> = { livecfg: [], '@nestjs/config': [] };
    for (const name of names) await runOnce(mode, entries[name], configFile); // warm caches
    for (let pair = 0; pair < pairs; pair++) {
      // Alternate which goes first, so neither always runs on the warmer machine.
      const order = pair % 2 === 0 ? names : [...names].reverse();
      for (const name of order) runs[name].push(await runOnce(mode, entries[name], configFile));
      process.stderr.write(`${mode}: pair ${pair + 1}/${pairs}\n`);
    }
    const medians = (name: Variant) => ({
      ready: median(runs[name].map((run) => run.readyMs)),
      exit: median(runs[name].map((run) => run.exitMs)),
      cpu: median(runs[name].map((run) => run.cpuMs)),
    });
    const a = medians('livecfg');
    const b = medians('@nestjs/config');
    const ratio = (x: number, y: number) => `**${(x / y).toFixed(3)}**`;
    lines.push(
      `| ${mode} | livecfg (LivecfgModule, file watch on) | ${fmt(a.ready)} | ${fmt(a.exit)} | ${fmt(a.cpu)} |`,
    );
    lines.push(`| ${mode} | @nestjs/config (read once) | ${fmt(b.ready)} | ${fmt(b.exit)} | ${fmt(b.cpu)} |`);
    lines.push(
      `| ${mode} | **ratio** | ${ratio(a.ready, b.ready)} | ${ratio(a.exit, b.exit)} | ${ratio(a.cpu, b.cpu)} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `Nest greeter cold start, whole process, median of ${pairs} alternating pairs (node ${process.version})\n`,
);
console.log('| run as | variant | spawn → listening | spawn → exit | CPU time at listening |');
console.log('|---|---|---|---|---|');
for (const line of lines) console.log(line);
