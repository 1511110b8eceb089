import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, file, flags, loadConfig, memory } from '../src/index.js';
import { rejectionOf, useTempDirs } from './helpers/temp-dir.js';

const tempDir = useTempDirs();

/** defaults < file < env < flags, all supplying `port`, plus keys only some layers have. */
async function layered() {
  const dir = await tempDir();
  const path = await dir.write('app.yaml', 'port: 2\nfileOnly: f\nnested:\n  a: file\n  b: file\n');
  const config = await loadConfig({
    defaults: { port: 1, defaultOnly: 'd', nested: { a: 'default', c: 'default' } },
    sources: [
      file(path),
      env({ prefix: 'APP_', environ: () => ({ APP_PORT: '3', APP_NESTED__B: 'env' }) }),
      flags(['--port=4']),
    ],
    watch: false,
  });
  return { config, path };
}

describe('loadConfig: precedence', () => {
  it('merges defaults < files < env < flags', async () => {
    const { config } = await layered();
    expect(config.value).toEqual({
      port: '4',
      defaultOnly: 'd',
      fileOnly: 'f',
      nested: { a: 'file', b: 'env', c: 'default' },
    });
  });

  it('later files override earlier ones', async () => {
    const dir = await tempDir();
    const base = await dir.write('base.json', '{"a": 1, "b": {"c": 1, "d": 1}, "list": [1, 2]}');
    const local = await dir.write('local.yaml', 'b:\n  c: 2\nlist: [3]\n');
    const config = await loadConfig({ sources: [file(base), file(local)], watch: false });
    expect(config.value).toEqual({ a: 1, b: { c: 2, d: 1 }, list: [3] });
  });

  it('explain() lists the overridden layers, highest priority first, with raw values', async () => {
    const { config, path } = await layered();
    expect(config.explain('port')).toEqual({
      path: 'port',
      value: '4',
      source: 'flags',
      origin: { flag: '--port' },
      description: 'flag --port',
      overridden: [
        { source: 'env:APP_', origin: { env: 'APP_PORT' }, value: '3', description: 'env APP_PORT' },
        {
          source: `file:${path}`,
          origin: { file: path, line: 1, column: 1 },
          value: 2,
          description: `${path}:1:1`,
        },
        { source: 'defaults', origin: { default: true }, value: 1, description: 'defaults' },
      ],
    });
  });

  it('set() overrides every source, delete() reveals the value beneath', async () => {
    const { config, path } = await layered();
    await config.set('port', 5);
    expect(config.get('port')).toBe(5);
    expect(config.explain('port')).toMatchObject({
      value: 5,
      source: 'set',
      origin: { set: true },
      overridden: [
        { source: 'flags', value: '4' },
        { source: 'env:APP_', value: '3' },
        { source: `file:${path}`, value: 2 },
        { source: 'defaults', value: 1 },
      ],
    });
    await config.delete('port');
    expect(config.get('port')).toBe('4');
    expect(config.explain('port').source).toBe('flags');
  });

  it('set() of a nested path merges into the branch; delete() of it restores the sources', async () => {
    const { config } = await layered();
    await config.set('nested.a', 'runtime');
    expect(config.get('nested')).toEqual({ a: 'runtime', b: 'env', c: 'default' });
    await config.set(['nested', 'x.y'], 1);
    expect(config.get(['nested', 'x.y'])).toBe(1);
    await config.delete('nested.a');
    await config.delete(['nested', 'x.y']);
    expect(config.get('nested')).toEqual({ a: 'file', b: 'env', c: 'default' });
  });

  it('a key missing from a higher layer keeps the lower value; null replaces it', async () => {
    const config = await loadConfig({
      defaults: { a: 1, b: { c: 1 } },
      sources: [memory({ b: null })],
      watch: false,
    });
    expect(config.value).toEqual({ a: 1, b: null });
  });
});

describe('loadConfig: snapshots', () => {
  it('version starts at 1 and grows by one per published change', async () => {
    const config = await loadConfig({ defaults: { a: 1 }, watch: false });
    expect(config.version).toBe(1);
    await config.set('a', 2);
    expect(config.version).toBe(2);
    await config.set('b', 1);
    expect(config.version).toBe(3);
  });

  it('snapshots are deep-frozen: assignment throws in strict mode', async () => {
    const config = await loadConfig({
      defaults: { a: { b: [1, { c: 2 }] } },
      sources: [memory({ m: { n: 1 } })],
      watch: false,
    });
    const value = config.value as unknown as {
      a: { b: [number, { c: number }] };
      m: { n: number };
      [key: string]: unknown;
    };
    expect(() => {
      value.a = { b: [0, { c: 0 }] };
    }).toThrow(TypeError);
    expect(() => {
      value.added = 1;
    }).toThrow(TypeError);
    expect(() => {
      value.a.b[1].c = 3;
    }).toThrow(TypeError);
    expect(() => {
      (value.a.b as unknown as number[]).push(3);
    }).toThrow(TypeError);
    expect(() => {
      value.m.n = 2;
    }).toThrow(TypeError);
    expect(() => {
      delete (value as Record<string, unknown>).a;
    }).toThrow(TypeError);
    expect(Object.isFrozen(config.get('a'))).toBe(true);
  });

  it('set() to the same value keeps the version and the value identity', async () => {
    const config = await loadConfig({ defaults: { a: 1, b: { c: 1 } }, watch: false });
    await config.set('a', 2);
    const value = config.value;
    const version = config.version;
    await config.set('a', 2);
    expect(config.version).toBe(version);
    expect(config.value).toBe(value);
    await config.sync();
    expect(config.version).toBe(version);
    expect(config.value).toBe(value);
  });

  it('unchanged subtrees keep their identity across a change', async () => {
    const config = await loadConfig({ defaults: { a: { x: 1 }, b: { y: 1 } }, watch: false });
    const before = config.value;
    await config.set('a.x', 2);
    expect(config.value).not.toBe(before);
    expect(config.value.b).toBe(before.b);
    expect(config.value.a).not.toBe(before.a);
  });

  it('changes$ reports the changed leaves and the trigger', async () => {
    const config = await loadConfig({ defaults: { a: { x: 1, y: 1 } }, watch: false });
    const changes: unknown[] = [];
    config.changes$.subscribe((change) => changes.push(change));
    await config.set('a.x', 2);
    await config.delete('a.x');
    expect(changes).toEqual([
      {
        version: 2,
        previous: { a: { x: 1, y: 1 } },
        current: { a: { x: 2, y: 1 } },
        changed: ['a.x'],
        source: 'set',
        sources: ['set'],
      },
      {
        version: 3,
        previous: { a: { x: 2, y: 1 } },
        current: { a: { x: 1, y: 1 } },
        changed: ['a.x'],
        source: 'delete',
        sources: ['delete'],
      },
    ]);
  });

  it('the defaults object is copied: changing it later changes nothing, and it is not frozen', async () => {
    const defaults = { a: { b: 1 } };
    const config = await loadConfig({ defaults, watch: false });
    expect(Object.isFrozen(defaults.a)).toBe(false);
    defaults.a.b = 2;
    expect(config.get('a')).toEqual({ b: 1 });
  });
});

describe('loadConfig: get, has, at', () => {
  it('get() takes dotted paths and arrays (for keys with dots); missing is undefined', async () => {
    const config = await loadConfig({
      defaults: { labels: { 'app.kubernetes.io/name': 'svc' }, list: [{ a: 1 }], '': { x: 1 } },
      watch: false,
    });
    expect(config.get(['labels', 'app.kubernetes.io/name'])).toBe('svc');
    expect(config.get('labels.app.kubernetes.io/name')).toBeUndefined();
    expect(config.get('list.0.a')).toBe(1);
    expect(config.get(['list', 0, 'a'])).toBe(1);
    expect(config.get(['', 'x'])).toBe(1);
    expect(config.get('missing.deep')).toBeUndefined();
    expect(config.get('')).toBe(config.value);
    expect(config.get('list.0.a.toString')).toBeUndefined();
    expect(config.get('list.length')).toBeUndefined();
    expect(config.has('list.length')).toBe(false);
    expect(config.get('list.00')).toBeUndefined();
    expect(config.at('list.length').exists()).toBe(false);
    expect(config.get('labels.constructor')).toBeUndefined();
    expect(config.has('labels')).toBe(true);
    expect(config.has(['labels', 'app.kubernetes.io/name'])).toBe(true);
    expect(config.has('labels.toString')).toBe(false);
    expect(config.has('missing')).toBe(false);
  });

  // Known bug in src/publish/snapshot.ts (Snapshot.get): the cache key of an array path is
  // `\u0000` + keys joined by `\u0000`, so ['a', 'b'], ['a\u0000b'] and the string path '\u0000a\u0000b'
  // share one cache entry and the second lookup returns the first one's value. Remove `.fails` once fixed.
  it('get() does not confuse paths whose keys contain \\u0000 (snapshot cache key)', async () => {
    const config = await loadConfig({
      defaults: JSON.parse('{"a": {"b": 1}, "a\\u0000b": 2}'),
      watch: false,
    });
    expect(config.get(['a', 'b'])).toBe(1);
    expect(config.get(['a\u0000b'])).toBe(2);
  });

  it('has() is true for a null value', async () => {
    const config = await loadConfig({ defaults: { a: null }, watch: false });
    expect(config.has('a')).toBe(true);
    expect(config.get('a')).toBeNull();
    expect(config.at('a').exists()).toBe(true);
  });

  it('at() builds Values with fallbacks on the current snapshot', async () => {
    const config = await loadConfig({ defaults: { server: { timeout: '1m30s', port: '80' } }, watch: false });
    expect(config.at('server.timeout').duration(5000)).toBe(90_000);
    expect(config.at('server.missing').duration(5000)).toBe(5000);
    expect(config.at(['server', 'port']).int(0)).toBe(80);
  });
});

describe('loadConfig: schemas', () => {
  const Schema = z.object({
    server: z.object({ host: z.string().default('0.0.0.0'), port: z.number().int().default(8080) }),
    greeting: z.string().default('Hello'),
    limits: z.object({ maxConnections: z.number().int().positive() }),
  });

  it('applies schema defaults; explain() names the schema or the defaults option', async () => {
    const config = await loadConfig({
      schema: Schema,
      defaults: { limits: { maxConnections: 100 } },
      sources: [memory({ server: { port: 9000 } })],
      watch: false,
    });
    expect(config.value).toEqual({
      server: { host: '0.0.0.0', port: 9000 },
      greeting: 'Hello',
      limits: { maxConnections: 100 },
    });
    expect(config.explain('limits.maxConnections')).toEqual({
      path: 'limits.maxConnections',
      value: 100,
      source: 'defaults',
      origin: { default: true },
      description: 'defaults',
      overridden: [],
    });
    expect(config.explain('greeting')).toEqual({
      path: 'greeting',
      value: 'Hello',
      source: 'schema',
      origin: { default: true },
      description: 'schema default',
      overridden: [],
    });
    expect(config.explain('server.host')).toMatchObject({ source: 'schema', value: '0.0.0.0' });
    expect(config.explain(['nope'])).toEqual({
      path: 'nope',
      value: undefined,
      source: undefined,
      origin: undefined,
      description: undefined,
      overridden: [],
    });
  });

  it('a validation failure names the path, the bad value and its file position', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.yaml', 'server:\n  port: 1\nlimits:\n  maxConnections: -5\n');
    const error = await rejectionOf(loadConfig({ schema: Schema, sources: [file(path)], watch: false }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      code: 'VALIDATION',
      path: 'limits.maxConnections',
      file: path,
      line: 4,
      column: 3,
      source: `file:${path}`,
    });
    expect(error.message).toContain(`${path}:4:3: limits.maxConnections:`);
    expect(error.message).toContain('got -5');
  });

  it('a missing required key says so', async () => {
    const error = await rejectionOf(
      loadConfig({ schema: Schema, sources: [memory({ server: {} })], watch: false }),
    );
    expect(error).toMatchObject({ code: 'VALIDATION', path: 'limits' });
    expect(error.message).toMatch(/limits: .*missing/);
  });

  it('set() that fails validation rejects with VALIDATION and keeps the snapshot', async () => {
    const config = await loadConfig({
      schema: Schema,
      sources: [memory({ server: {}, limits: { maxConnections: 1 } })],
      watch: false,
    });
    const value = config.value;
    const error = await rejectionOf(config.set('limits.maxConnections', -1));
    expect(error).toMatchObject({ code: 'VALIDATION', path: 'limits.maxConnections', source: 'set' });
    expect(config.value).toBe(value);
    expect(config.version).toBe(1);
    await config.set('limits.maxConnections', '7');
    expect(config.get('limits.maxConnections')).toBe(7);
  });

  it('works with a valibot schema (coercion included)', async () => {
    const schema = v.object({
      server: v.object({ port: v.number(), debug: v.optional(v.boolean(), false) }),
      tags: v.array(v.string()),
    });
    const config = await loadConfig({
      schema,
      sources: [env({ prefix: 'APP_', environ: () => ({ APP_SERVER_PORT: '81', APP_TAGS: 'a,b' }) })],
      watch: false,
    });
    expect(config.value).toEqual({ server: { port: 81, debug: false }, tags: ['a', 'b'] });
    expect(config.get('server.port')).toBe(81);
  });

  it('rejects an invalid schema output asynchronously too (async schemas)', async () => {
    const asyncSchema = z.object({ a: z.string() }).refine(async (value) => value.a !== 'bad', 'a is bad');
    await expect(
      loadConfig({ schema: asyncSchema, sources: [memory({ a: 'bad' })], watch: false }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    const ok = await loadConfig({ schema: asyncSchema, sources: [memory({ a: 'good' })], watch: false });
    expect(ok.value).toEqual({ a: 'good' });
  });
});

describe('loadConfig: sources and lifecycle', () => {
  it('a failing required source rejects naming it', async () => {
    const error = await rejectionOf(
      loadConfig({
        sources: [
          {
            name: 'custom:broken',
            read: async () => {
              throw new Error('boom');
            },
          },
        ],
        watch: false,
      }),
    );
    expect(error).toMatchObject({ code: 'SOURCE_READ', source: 'custom:broken' });
    expect(error.message).toContain('custom:broken');
    expect(error.message).toContain('boom');
  });

  it('a custom source works', async () => {
    const config = await loadConfig({
      sources: [
        {
          name: 'static',
          read: async () => ({ data: { a: 1 }, checksum: '1', source: 'static', timestamp: new Date() }),
        },
      ],
      watch: false,
    });
    expect(config.explain('a')).toMatchObject({ value: 1, source: 'static', origin: undefined });
  });

  it('loads with no options at all', async () => {
    const config = await loadConfig();
    expect(config.value).toEqual({});
    await config.close();
  });

  it('close() is idempotent; set() after close rejects with CLOSED', async () => {
    const config = await loadConfig({ defaults: { a: 1 } });
    await Promise.all([config.close(), config.close()]);
    await config.close();
    await expect(config.set('a', 2)).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(config.sync()).rejects.toMatchObject({ code: 'CLOSED' });
    expect(config.get('a')).toBe(1);
  });

  it('Symbol.asyncDispose closes the config', async () => {
    const config = await loadConfig({ defaults: { a: 1 } });
    await config[Symbol.asyncDispose]();
    await expect(config.set('a', 2)).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
