import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, memory } from '../src/index.js';
import { makeTree } from './fixtures.js';
import { formatNs, isMain, measure } from './harness.js';

/** One row of a benchmark table. */
export interface BenchRow {
  name: string;
  livecfg: string;
  peer: string;
  ratio: number;
  goal: string;
}

/** `get('a.b.c')` on a 10,000-leaf tree: livecfg vs node-config's `config.get`, in this process. */
export async function run(): Promise<BenchRow> {
  const tree = makeTree(10_000);
  const paths = ['s3.g7.k143', 's19.g24.k9999', 's0.g0.k0', 's10.g12.k250'];

  const emptyDir = mkdtempSync(join(tmpdir(), 'livecfg-bench-'));
  process.env.NODE_CONFIG_DIR = emptyDir;
  process.env.SUPPRESS_NO_CONFIG_WARNING = '1';
  process.env.NODE_CONFIG = JSON.stringify(tree);
  const require = createRequire(import.meta.url);
  const nodeConfig = require('config') as { get(path: string): unknown };
  // node-config has read it; a 300 KB variable would make every later child process fail with E2BIG.
  delete process.env.NODE_CONFIG;

  const config = await loadConfig({ sources: [memory(tree)], watch: false });
  for (const path of paths) {
    if (config.get(path) !== nodeConfig.get(path)) throw new Error(`mismatch at ${path}`);
  }

  let index = 0;
  const ours = measure(() => config.get(paths[index++ & 3] as string), { iterations: 200_000 });
  const theirs = measure(() => nodeConfig.get(paths[index++ & 3] as string), { iterations: 200_000 });
  await config.close();
  rmSync(emptyDir, { recursive: true, force: true });
  return {
    name: "get('a.b.c'), 10,000-leaf tree",
    livecfg: formatNs(ours),
    peer: `node-config get: ${formatNs(theirs)}`,
    ratio: theirs / ours,
    goal: '≥ 8× faster',
  };
}

if (isMain(import.meta.url)) {
  const row = await run();
  console.log(row);
}
