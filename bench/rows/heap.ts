/**
 * Retained heap of a 100,000-leaf JSON config (bench/fixtures.ts `makeTree`: numbers, strings and
 * booleans three levels deep; `file()` of a JSON file, watch off, one `get`), in bytes
 * per leaf, after TWO `gc()` calls before and after (one call leaves garbage that makes the figure an
 * artefact). Peer: the `JSON.parse` tree of the same text, held the same way; node-config in its own
 * process for reference. Needs `node --expose-gc` (as `npm run bench` runs).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { file, loadConfig } from '../../src/index.js';
import { makeTree } from '../fixtures.js';
import { median } from '../harness.js';
import type { BenchRow } from './types.js';

const LEAVES = 100_000;

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
}

/** What is being measured, held where no optimisation can drop it. */
const keep: unknown[] = [];

/** Bytes per leaf that `make` retains (median of three). */
async function retained(make: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let round = 0; round < 3; round++) {
    collect();
    const before = process.memoryUsage().heapUsed;
    keep.push(await make());
    collect();
    samples.push((process.memoryUsage().heapUsed - before) / LEAVES);
    const held = keep.pop();
    if (held && typeof (held as { close?: unknown }).close === 'function') {
      await (held as { close(): Promise<void> }).close();
    }
  }
  return median(samples);
}

export const rows: BenchRow[] = [
  {
    id: 'heap-json-100k',
    operation: 'retained heap, 100,000-leaf JSON config (`file()`, two `gc()` calls)',
    peer: 'the `JSON.parse` tree of the same text; node-config in its own process',
    goal: '≤ 2× the `JSON.parse` tree',
    async run() {
      const dir = await mkdtemp(join(tmpdir(), 'livecfg-bench-heap-'));
      const path = join(dir, 'default.json');
      writeFileSync(path, JSON.stringify(makeTree(LEAVES)));
      try {
        const plain = await retained(async () => JSON.parse(readFileSync(path, 'utf8')));
        const ours = await retained(async () => {
          const config = await loadConfig({ sources: [file(path)], watch: false });
          config.get('s1.g1.k21');
          return config;
        });
        const script = `global.gc(); global.gc(); const before = process.memoryUsage().heapUsed;
          const config = require('config'); config.get('s1.g1.k21');
          global.gc(); global.gc(); console.log((process.memoryUsage().heapUsed - before) / ${LEAVES});`;
        const child = spawnSync(process.execPath, ['--expose-gc', '-e', script], {
          cwd: fileURLToPath(new URL('../..', import.meta.url)),
          env: { ...process.env, NODE_CONFIG_DIR: dir, SUPPRESS_NO_CONFIG_WARNING: '1' },
          encoding: 'utf8',
        });
        const nodeConfig = Number(child.stdout.trim());
        const ratio = ours / plain;
        const met = ratio <= 2;
        return {
          figure: `${ours.toFixed(0)} B/leaf (${ratio.toFixed(2)}× the JSON.parse tree)`,
          peer: `JSON.parse tree ${plain.toFixed(0)} B/leaf; node-config ${nodeConfig.toFixed(0)} B/leaf`,
          met,
          why: met
            ? 'one frozen tree shared by the layer and the snapshot; no per-node origin index (origins on demand)'
            : 'the layer data and the merged snapshot are two trees, plus the text kept for origins on demand',
          numbers: {
            livecfgBytesPerLeaf: ours,
            jsonParseBytesPerLeaf: plain,
            nodeConfigBytesPerLeaf: nodeConfig,
          },
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
];
