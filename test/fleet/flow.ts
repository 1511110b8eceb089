/**
 * The fleet's end-to-end flow, for either store: five instance processes (one with a stricter
 * schema), the real CLI for `put` and `fleet`, a refusal, a refused put, a SIGKILL and a SIGTERM.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FleetStore } from '../../src/fleet.js';
import { type Child, ROOT, runCli, startTs } from '../examples/child.js';
import { waitForRecords } from './helpers.js';

export interface FlowContext {
  kind: 'etcd' | 'consul';
  /** Environment naming the store (ETCDCTL_ENDPOINTS or CONSUL_HTTP_ADDR). */
  env: Record<string, string | undefined>;
  /** The tests' own client of the store. */
  store: FleetStore;
  /** Writes a key directly (seeding). */
  seed(key: string, value: string): Promise<void>;
  ttlSeconds: number;
  /** Longest time a killed instance's key may survive (TTL and the store's slack). */
  vanishMs: number;
}

const INSTANCE = join(ROOT, 'test/fleet/instance.ts');
const SCHEMA = 'test/fleet/schema.ts#Schema';

/** Runs the whole flow; throws on the first broken expectation. */
export async function fleetFlow(context: FlowContext): Promise<void> {
  const { kind, env, store } = context;
  await context.seed('config/orders/limits/max', '10');
  await context.seed('config/orders/db/password', 'correct-horse-battery');
  const names = ['i1', 'i2', 'i3', 'i4', 'i5'];
  const instances = new Map<string, Child>(
    names.map((name) => [
      name,
      startTs(
        INSTANCE,
        [kind, 'orders', name, String(context.ttlSeconds), name === 'i5' ? 'strict' : 'normal'],
        {
          env,
        },
      ),
    ]),
  );
  await Promise.all([...instances.values()].map((child) => child.waitFor(/ready/, { timeoutMs: 180_000 })));
  const cli = (args: string[]) => runCli(args, { env, timeoutMs: 120_000 });
  const source = [`--${kind}`, 'config/orders/', '--schema', SCHEMA];

  const listed = await cli(['fleet', '--store', kind, '--service', 'orders', '-o', 'json']);
  expect(listed.code, listed.stderr).toBe(0);
  expect(
    (JSON.parse(listed.stdout) as Array<{ instance: string }>).map((row) => row.instance).sort(),
  ).toEqual(names);

  // A valid put reaches everyone.
  const dry = await cli(['put', 'config/orders/limits/max', '50', '--store', kind, ...source, '--dry-run']);
  expect(dry.code, dry.stderr).toBe(0);
  expect(dry.stdout).toContain('limits.max: 10 → 50');
  expect(dry.stdout).toContain('dry run: nothing written');
  const put = await cli(['put', 'config/orders/limits/max', '50', '--store', kind, ...source]);
  expect(put.code, put.stderr).toBe(0);
  const revision = /at revision (\d+)/.exec(put.stdout)?.[1] as string;
  expect(revision).toMatch(/^\d+$/);
  const reached = await cli([
    'fleet',
    '--store',
    kind,
    '--service',
    'orders',
    '--wait-revision',
    revision,
    '--timeout',
    '60s',
  ]);
  expect(reached.code, reached.stdout + reached.stderr).toBe(0);
  expect(reached.stdout).toContain(`all 5 instances applied revision ${revision}`);

  // A put the stricter instance refuses: fleet exits 1 and names it, with the redacted reason.
  const weak = await cli(['put', 'config/orders/db/password', 'short-pw', '--store', kind, ...source]);
  expect(weak.code, weak.stderr).toBe(0);
  expect(weak.stdout).toContain('db.password: "[redacted]" → "[redacted]"');
  const refusedAt = /at revision (\d+)/.exec(weak.stdout)?.[1] as string;
  const split = await cli([
    'fleet',
    '--store',
    kind,
    '--service',
    'orders',
    '--wait-revision',
    refusedAt,
    '--timeout',
    '60s',
  ]);
  expect(split.code).toBe(1);
  expect(split.stderr).toContain(`refused revision ${refusedAt}: i5`);
  expect(split.stdout).toMatch(
    new RegExp(`✗ i5 refused ${kind}:config/orders/@${refusedAt}: VALIDATION: .*db\\.password`),
  );
  expect(split.stdout + split.stderr).not.toContain('short-pw');
  expect(split.stdout).toMatch(/^i5 .* rejected$/m);

  // put refuses what the CLI's schema refuses, and writes nothing.
  const before = await store.get('config/orders/limits/max', { background: false });
  const invalid = await cli(['put', 'config/orders/limits/max', '0', '--store', kind, ...source]);
  expect(invalid.code).toBe(1);
  expect(invalid.stderr).toContain('limits.max');
  expect(invalid.stderr).toContain('refused: config/orders/limits/max was not written');
  const after = await store.get('config/orders/limits/max', { background: false });
  expect(after.kv).toEqual(before.kv);
  const nowhere = await cli(['put', 'elsewhere/x', '1', '--store', kind, ...source]);
  expect(nowhere.code).toBe(1);
  expect(nowhere.stderr).toContain('under no given');

  // A killed instance disappears after its TTL; a stopped one at once.
  const killed = instances.get('i1') as Child;
  killed.process.kill('SIGKILL');
  await killed.exited;
  await waitForRecords(
    store,
    'orders',
    (records) => !records.some((record) => record.instance === 'i1'),
    context.vanishMs,
  );
  const stopped = instances.get('i2') as Child;
  stopped.process.kill('SIGTERM');
  await stopped.waitFor(/closed/, { timeoutMs: 30_000 });
  const rest = await waitForRecords(store, 'orders', (records) => records.length === 3, 10_000);
  expect(rest.map((record) => record.instance).sort()).toEqual(['i3', 'i4', 'i5']);
}
