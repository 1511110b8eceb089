/**
 * Issue 22's etcd figures, old client against new, side by side in one run: 0.2's `etcd3` (gRPC) and
 * the JSON-gateway client, on the same real etcd workload (bench/etcd-scale.ts) at 1,000 and 50,000
 * keys — load time, put → `config.watch()` p50/p99 — and the cold import of `livecfg/etcd` with what
 * its first read loads (bench/etcd-cold.ts). The old side needs a built 0.2 checkout with etcd3:
 * `git worktree add /tmp/old 5b44221 && (cd /tmp/old && npm ci && npx tsup)`, then
 * `LIVECFG_ETCD_OLD=/tmp/old npm run bench`. Without it the rows measure the new client only.
 */
import { existsSync } from 'node:fs';
import { freshBuild } from '../../test/package/build.js';
import { coldImport } from '../etcd-cold.js';
import { measureScale } from '../etcd-scale.js';
import { type BenchRow, ms, type RowResult } from './types.js';

const OLD = process.env.LIVECFG_ETCD_OLD;
const SRC = new URL('../../src', import.meta.url).pathname;
const oldReady = (): boolean => OLD !== undefined && existsSync(`${OLD}/node_modules/etcd3`);

async function scaleRow(keys: number): Promise<RowResult> {
  const now = await measureScale(keys, 100, SRC);
  const old = oldReady() ? await measureScale(keys, 100, `${OLD}/src`) : undefined;
  const text = (r: typeof now) =>
    `load ${(r.loadMs / 1000).toFixed(2)} s (CPU ${(r.loadCpuMs / 1000).toFixed(2)} s), put → watch() p50 ${ms(r.p50Ms)}, p99 ${ms(r.p99Ms)}`;
  return {
    figure: `JSON gateway: ${text(now)}`,
    ...(old ? { peer: text(old) } : {}),
    why: old ? 'same etcd, same keys, alternately' : 'set LIVECFG_ETCD_OLD to measure 0.2 beside it',
    numbers: { loadMs: now.loadMs, p50Ms: now.p50Ms, p99Ms: now.p99Ms },
  };
}

/** bench/README.md's etcd client rows (issue 22). */
export const rows: BenchRow[] = [
  {
    id: 'etcd-client-1k',
    operation: 'etcd client, 1,000 keys: load and put → `config.watch()` (100 sequential puts)',
    peer: '0.2 client (etcd3, gRPC)',
    goal: 'report side by side',
    run: () => scaleRow(1000),
  },
  {
    id: 'etcd-client-50k',
    operation: 'etcd client, 50,000 keys: load and put → `config.watch()` (100 sequential puts)',
    peer: '0.2 client (etcd3, gRPC)',
    goal: 'report side by side',
    run: () => scaleRow(50_000),
  },
  {
    id: 'etcd-client-cold',
    operation:
      'cold import of `livecfg/etcd` and what its first read loads, whole process (11 alternating runs)',
    peer: '0.2 client (etcd3, gRPC)',
    goal: 'report side by side; no grpc or etcd3 package installed (test/package/tarball.test.ts)',
    async run() {
      if (!oldReady())
        return { figure: 'not measured', why: 'set LIVECFG_ETCD_OLD (see bench/rows/etcd-client.ts)' };
      const build = await freshBuild();
      try {
        const result = coldImport(OLD as string, build.packageDir, 11);
        const text = (side: typeof result.new) =>
          `${ms(side.wall)} whole process (+${ms(side.overNode)} over bare node; import ${ms(side.inProcess)})`;
        return {
          figure: text(result.new),
          peer: text(result.old),
          why: '0.2 loads etcd3 and gRPC; the gateway client is part of livecfg',
          numbers: { wall: result.new.wall, oldWall: result.old.wall },
        };
      } finally {
        build.remove();
      }
    },
  },
];
