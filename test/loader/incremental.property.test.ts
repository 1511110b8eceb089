/**
 * The reference model of incremental commits: applying random delta sequences (memory.set/delete,
 * config.set/delete, mixed with full updates) incrementally gives exactly what full rebuilds give:
 * value, version, explain() for every path, the changed paths, the emissions and the errors with
 * every issue they list (not only their codes).
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Config, env, loadConfig, type MemorySource, memory } from '../../src/index.js';
import type { StandardSchemaV1 } from '../../src/reader/standard-schema.js';

const SCHEMAS: Record<string, StandardSchemaV1 | undefined> = {
  none: undefined,
  records: z.record(z.string(), z.record(z.string(), z.number())),
  objects: z.looseObject({
    a: z.record(z.string(), z.number()).optional(),
    b: z.object({ a: z.number().default(1), b: z.string().optional(), c: z.unknown() }).prefault({ c: 0 }),
  }),
  valibot: v.object({
    a: v.optional(v.record(v.string(), v.number())),
    b: v.optional(v.object({ a: v.optional(v.number(), 1), c: v.unknown() })),
    c: v.optional(v.unknown()),
  }),
  refined: z.record(z.string(), z.unknown()).refine((tree) => !('c' in tree) || tree.c !== 'bad'),
};

const key = fc.constantFrom('a', 'b', 'c');
const path = fc.array(key, { minLength: 1, maxLength: 3 });
const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('7', 'x', 'bad'),
  fc.constant(null),
  fc.dictionary(key, fc.integer({ min: 0, max: 3 }), { maxKeys: 2 }),
  fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }),
);
const data = fc.dictionary(key, fc.oneof(value, fc.dictionary(key, value, { maxKeys: 3 })), { maxKeys: 3 });

type Op =
  | { kind: 'mset'; source: 0 | 1; path: string[]; value: unknown }
  | { kind: 'mdel'; source: 0 | 1; path: string[] }
  | { kind: 'update'; source: 0 | 1; data: Record<string, unknown> }
  | { kind: 'set'; path: string[]; value: unknown }
  | { kind: 'del'; path: string[] };

const source = fc.constantFrom(0 as const, 1 as const);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('mset' as const), source, path, value }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('mdel' as const), source, path }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('update' as const), source, data }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), path, value }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('del' as const), path }) },
);

/** One config with everything it emitted. */
interface Run {
  config: Config;
  sources: [MemorySource, MemorySource];
  log: unknown[];
}

async function start(
  schema: StandardSchemaV1 | undefined,
  initial: [Record<string, unknown>, Record<string, unknown>],
  incremental: boolean,
): Promise<Run | string> {
  const sources: [MemorySource, MemorySource] = [
    memory(initial[0], { name: 'm0' }),
    memory(initial[1], { name: 'm1' }),
  ];
  try {
    const config = await loadConfig({
      schema,
      defaults: { b: { c: 0 } },
      // Env names are mapped with the keys below them (E_A_B → a.b when `a` has a `b`, else a_b).
      sources: [...sources, env({ prefix: 'E_', environ: () => ({ E_A_B: '2', E_C_A: '5', E_B__C: '7' }) })],
      incremental,
      debounceMs: 0,
    } as Parameters<typeof loadConfig>[0]);
    const log: unknown[] = [];
    config.changes$.subscribe(({ version, changed, sources: triggers }) =>
      log.push(['change', version, [...changed].sort(), triggers]),
    );
    config.errors$.subscribe((error) => log.push(['error', error.code, issuesOf(error)]));
    for (const watched of [[], ['a'], ['a', 'b'], ['b', 'c'], ['c', 'a', 'b']]) {
      config.watch(watched, { emitCurrent: false }).subscribe((next) => log.push(['watch', watched, next]));
    }
    // Let the sources' watches subscribe (the loader does it on the next turn).
    await new Promise((resolve) => setImmediate(resolve));
    return { config, sources, log };
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  }
}

async function apply(run: Run, step: Op): Promise<string> {
  try {
    switch (step.kind) {
      case 'mset':
        run.sources[step.source].set(step.path, step.value);
        break;
      case 'mdel':
        run.sources[step.source].delete(step.path);
        break;
      case 'update':
        run.sources[step.source].update(step.data);
        break;
      case 'set':
        await run.config.set(step.path, step.value);
        break;
      case 'del':
        await run.config.delete(step.path);
        break;
    }
    await (run.config as unknown as { loader: { settled(): Promise<void> } }).loader.settled();
    return 'ok';
  } catch (error) {
    return JSON.stringify([(error as { code?: string }).code ?? 'error', issuesOf(error)]);
  }
}

/**
 * The issues of a VALIDATION error (path, message, source), in a fixed order: a full validation lists
 * them in the schema's key order, an incremental one per changed subtree; the set must be the same.
 */
function issuesOf(error: unknown): string[] {
  const issues = (error as { issues?: Array<{ path: unknown; message: string; source?: string }> }).issues;
  return (issues ?? []).map(({ path, message, source }) => JSON.stringify([path, message, source])).sort();
}

/** Every path of a tree (branches and leaves), plus some that are absent. */
function pathsOf(
  tree: unknown,
  prefix: string[] = [],
  out: string[][] = [['a', 'b', 'c'], ['c']],
): string[][] {
  if (tree !== null && typeof tree === 'object') {
    for (const [name, child] of Object.entries(tree)) {
      out.push([...prefix, name]);
      pathsOf(child, [...prefix, name], out);
    }
  }
  return out;
}

function state(run: Run): unknown {
  const { config } = run;
  return {
    version: config.version,
    value: config.value,
    // Key order is not compared: a patched branch lists a new key last, a full merge in layer order.
    explain: pathsOf(config.value)
      .map((item) => JSON.stringify(item))
      .sort()
      .map((item) => config.explain(JSON.parse(item) as string[])),
    log: run.log,
  };
}

describe('incremental commits equal full rebuilds (reference model)', () => {
  it('random delta sequences over every schema kind', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(SCHEMAS)),
        fc.tuple(data, data),
        fc.array(op, { minLength: 1, maxLength: 8 }),
        async (schemaName, initial, ops) => {
          const schema = SCHEMAS[schemaName];
          const fast = await start(schema, initial, true);
          const full = await start(schema, initial, false);
          if (typeof fast === 'string' || typeof full === 'string') {
            expect(fast).toEqual(full);
            return;
          }
          try {
            for (const step of ops) {
              const outcomes = [await apply(fast, step), await apply(full, step)];
              expect(outcomes[0]).toBe(outcomes[1]);
              expect(state(fast)).toEqual(state(full));
            }
          } finally {
            await fast.config.close();
            await full.config.close();
          }
        },
      ),
      { numRuns: 1000 },
    );
  }, 120_000);
});
