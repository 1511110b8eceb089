/**
 * Install footprint: `npm install` of livecfg (its tarball, packed from a fresh build), node-config and
 * convict, each into its own empty temp project, then the number of installed packages (from the
 * lockfile) and the size of `node_modules` (the sum of file sizes, in MB of 10^6 bytes).
 * Needs the npm registry (or a warm npm cache: installs run with --prefer-offline).
 *
 * Run: `npx tsx bench/footprint.ts`
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packTarball } from '../test/package/pack.js';

/** One installed package's footprint. */
export interface Footprint {
  name: string;
  version: string;
  packages: number;
  bytes: number;
  /** Disk usage (`du -sk`, blocks as allocated), in bytes; NaN where `du` is missing. */
  diskBytes: number;
  /** Each installed package with its own size in bytes (nested node_modules not counted twice). */
  perPackage: Array<[string, number]>;
}

/** The total size of the regular files under `dir` (symlinks not followed; nested node_modules skipped on request). */
function size(dir: string, skipNested = false): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && skipNested && entry.name === 'node_modules') continue;
    if (entry.isDirectory()) total += size(path, skipNested);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Installs `spec` into a fresh project under `work` and measures it. */
function install(work: string, label: string, spec: string, name: string): Footprint {
  const dir = join(work, label);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `footprint-${label}`, private: true }));
  const result = spawnSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', spec],
    { cwd: dir, encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) {
    throw new Error(`npm install ${spec} failed: ${result.error?.message ?? result.stderr}`);
  }
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const installed = Object.keys(lock.packages).filter((key) => key.startsWith('node_modules/'));
  const du = spawnSync('du', ['-sk', join(dir, 'node_modules')], { encoding: 'utf8' });
  const perPackage = installed
    .map((key): [string, number] => [key.slice('node_modules/'.length), size(join(dir, key), true)])
    .sort((a, b) => b[1] - a[1]);
  return {
    name: label,
    version: lock.packages[`node_modules/${name}`]?.version ?? '?',
    packages: installed.length,
    bytes: size(join(dir, 'node_modules')),
    diskBytes: du.status === 0 ? Number.parseInt(du.stdout, 10) * 1024 : Number.NaN,
    perPackage,
  };
}

/** Measures livecfg, node-config and convict; one row each. */
export async function footprints(): Promise<Footprint[]> {
  const work = mkdtempSync(join(tmpdir(), 'livecfg-footprint-'));
  try {
    const tarball = await packTarball(work);
    return [
      install(work, 'livecfg', tarball, 'livecfg'),
      install(work, 'node-config', 'config', 'config'),
      install(work, 'convict', 'convict', 'convict'),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The markdown table printed by this script (and kept in the README). */
export function table(rows: readonly Footprint[]): string {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const lines = [
    '| package | version | installed packages | node_modules: files | on disk (du) | largest |',
    '|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const largest = row.perPackage
      .slice(0, 4)
      .map(([name, bytes]) => `${name} ${mb(bytes)}`)
      .join(', ');
    lines.push(
      `| ${row.name} | ${row.version} | ${row.packages} | ${mb(row.bytes)} | ${mb(row.diskBytes)} | ${largest} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('footprint.ts')) {
  console.log(table(await footprints()));
}
