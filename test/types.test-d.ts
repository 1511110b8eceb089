import * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { type Config, loadConfig, memory, type Paths, type PathValue, type Value } from '../src/index.js';

const ZodSchema = z.object({
  server: z.object({ host: z.string().default('0.0.0.0'), port: z.number().int().default(8080) }),
  greeting: z.string().default('Hello'),
  limits: z.object({ maxConnections: z.number().int().positive() }),
  labels: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.string()),
});

const ValibotSchema = v.object({
  server: v.object({ host: v.optional(v.string(), 'h'), port: v.number() }),
  debug: v.optional(v.boolean()),
});

describe('typed paths', () => {
  it('zod: get() is typed from the schema', async () => {
    const config = await loadConfig({ schema: ZodSchema, sources: [memory()], watch: false });
    expectTypeOf(config.get('server.port')).toEqualTypeOf<number>();
    expectTypeOf(config.get('server.host')).toEqualTypeOf<string>();
    expectTypeOf(config.get('limits.maxConnections')).toEqualTypeOf<number>();
    expectTypeOf(config.get('tags')).toEqualTypeOf<readonly string[]>();
    expectTypeOf(config.get('server')).toEqualTypeOf<{ readonly host: string; readonly port: number }>();
    expectTypeOf(config.value.server.port).toEqualTypeOf<number>();
    expectTypeOf(config.get(['labels', 'app.kubernetes.io/name'])).toEqualTypeOf<unknown>();
    // @ts-expect-error: not a path of the schema
    config.get('server.nope');
    // @ts-expect-error: not a path of the schema
    config.get('nope');
    // @ts-expect-error: not a path of the schema
    config.watch('server.nope');
    // @ts-expect-error: not a path of the schema
    config.at('limits.max');
    // @ts-expect-error: not a path of the schema
    config.explain('server.port.x');
    expectTypeOf(config.at('server.port')).toEqualTypeOf<Value>();
    expectTypeOf(config.has('server.port')).toEqualTypeOf<boolean>();
  });

  it('zod: watch() emits the typed value', async () => {
    const config = await loadConfig({ schema: ZodSchema, watch: false });
    config.watch('server.port').subscribe((port) => {
      expectTypeOf(port).toEqualTypeOf<number>();
    });
  });

  it('valibot: get() is typed from the schema', async () => {
    const config = await loadConfig({ schema: ValibotSchema, sources: [memory()], watch: false });
    expectTypeOf(config.get('server.port')).toEqualTypeOf<number>();
    expectTypeOf(config.get('server.host')).toEqualTypeOf<string>();
    expectTypeOf(config.get('debug')).toEqualTypeOf<boolean | undefined>();
    // @ts-expect-error: not a path of the schema
    config.get('server.nope');
  });

  it('without a schema, any path is allowed and values are unknown', async () => {
    const config = await loadConfig({ sources: [memory({ a: 1 })], watch: false });
    expectTypeOf(config).toEqualTypeOf<Config<Record<string, unknown>>>();
    expectTypeOf(config.get('anything.at.all')).toEqualTypeOf<unknown>();
    expectTypeOf(config.at('x').int(0)).toEqualTypeOf<number>();
    expectTypeOf(config.at('x').int()).toEqualTypeOf<number | undefined>();
    expectTypeOf(config.at('x').stringArray([])).toEqualTypeOf<string[]>();
  });

  it('Value.parse() returns the schema output', async () => {
    const config = await loadConfig({ watch: false });
    expectTypeOf(config.at('server').parse(z.object({ port: z.number() }))).toEqualTypeOf<{ port: number }>();
  });

  it('snapshots are readonly', async () => {
    const config = await loadConfig({ schema: ZodSchema, watch: false });
    // @ts-expect-error: readonly
    config.value.server.port = 1;
    // @ts-expect-error: readonly array
    config.value.tags.push('x');
  });

  it('Paths and PathValue helpers', () => {
    type T = { a: { b: number; c: { d: string } }; e: boolean[] };
    expectTypeOf<Paths<T>>().toEqualTypeOf<'a' | 'a.b' | 'a.c' | 'a.c.d' | 'e'>();
    expectTypeOf<PathValue<T, 'a.c.d'>>().toEqualTypeOf<string>();
    expectTypeOf<PathValue<T, 'e'>>().toEqualTypeOf<boolean[]>();
  });

  it('deep schemas degrade instead of failing', () => {
    type Deep = {
      l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: { l9: { l10: { l11: { l12: 1 } } } } } } } } } } };
    };
    expectTypeOf<'l1.l2'>().toExtend<Paths<Deep>>();
    expectTypeOf<Paths<Deep>>().toExtend<string>();
  });
});
