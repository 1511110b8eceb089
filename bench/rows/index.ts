/**
 * The registry of bench/README.md's rows, in table order. A row is a small module that exports
 * `rows: BenchRow[]` (see ./types.ts); to add one, write the module (in bench/ or bench/rows/) and add
 * its import here. `npm run bench -- --only <id>` runs one row; `npm run bench` runs them all and
 * rewrites bench/README.md whole. Today's figures (0.2, commit 5b44221) are in ./baseline.json.
 */
import type { RowModule } from './types.js';

export const MODULES: ReadonlyArray<() => Promise<RowModule>> = [
  () => import('../coldstart.bench.js'),
  () => import('./reload.js'),
  () => import('./inspector-first-get.js'),
  () => import('./memory-set.js'),
  () => import('./heap.js'),
  () => import('./reads-per-write.js'),
  () => import('../etcd-scale.js'),
  () => import('./etcd-client.js'),
  () => import('../inspector-page.js'),
  () => import('../fleet.js'),
  () => import('./standalone.js'),
];
