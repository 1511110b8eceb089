/** `has()` and `getOrThrow()` take the paths `get()` takes and return its type, never `undefined`. */
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { loadConfig, memory } from '../../src/index.js';

const Schema = z.object({
  server: z.object({ host: z.string().default('0.0.0.0'), port: z.number().int().default(8080) }),
  debug: z.boolean().optional(),
  proxy: z.string().nullable(),
  tags: z.array(z.string()),
});

describe('getOrThrow / has types', () => {
  it('typed paths: the value type of get(), without undefined', async () => {
    const config = await loadConfig({ schema: Schema, sources: [memory()], watch: false });
    expectTypeOf(config.getOrThrow('server.port')).toEqualTypeOf<number>();
    expectTypeOf(config.getOrThrow('server.port')).toEqualTypeOf(config.get('server.port'));
    expectTypeOf(config.getOrThrow('server')).toEqualTypeOf<{
      readonly host: string;
      readonly port: number;
    }>();
    expectTypeOf(config.getOrThrow('tags')).toEqualTypeOf<readonly string[]>();
    expectTypeOf(config.get('debug')).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(config.getOrThrow('debug')).toEqualTypeOf<boolean>();
    // null is a value: it stays.
    expectTypeOf(config.getOrThrow('proxy')).toEqualTypeOf<string | null>();
    expectTypeOf(config.getOrThrow(['server', 'port'])).toEqualTypeOf<unknown>();
    expectTypeOf(config.has('server.port')).toEqualTypeOf<boolean>();
    expectTypeOf(config.has(['labels', 'a.b'])).toEqualTypeOf<boolean>();
    // @ts-expect-error: not a path of the schema
    config.getOrThrow('server.nope');
    // @ts-expect-error: not a path of the schema
    config.has('server.port.x');
  });

  it('without a schema: any path, unknown values', async () => {
    const config = await loadConfig({ sources: [memory({ a: 1 })], watch: false });
    expectTypeOf(config.getOrThrow('a.b.c')).toEqualTypeOf<unknown>();
    expectTypeOf(config.has('a.b.c')).toEqualTypeOf<boolean>();
  });
});
