import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, file, loadConfig } from '../../src/index.js';
import { envNameToPath } from '../../src/sources/env/env.js';
import { rejectionOf, useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

type Environ = Record<string, string | undefined>;

async function loadEnv(environ: Environ, options: Omit<Parameters<typeof env>[0] & object, 'environ'> = {}) {
  return loadConfig({ sources: [env({ ...options, environ: () => environ })], watch: false });
}

describe('env source: names', () => {
  it('strips a string prefix and ignores other variables', async () => {
    const config = await loadEnv(
      { APP_NAME: 'svc', APP_SERVER__PORT: '8080', OTHER: 'x', APPLE: 'no' },
      { prefix: 'APP_' },
    );
    expect(config.value).toEqual({ name: 'svc', server: { port: '8080' } });
  });

  it('accepts an array of prefixes, each stripped', async () => {
    const config = await loadEnv(
      { APP_NAME: 'svc', SVC_DEBUG: 'true', OTHER: 'x' },
      { prefix: ['APP_', 'SVC_'] },
    );
    expect(config.value).toEqual({ name: 'svc', debug: 'true' });
  });

  it('a prefix without the trailing underscore strips the underscores too', async () => {
    const config = await loadEnv({ APP_NAME: 'svc' }, { prefix: 'APP' });
    expect(config.value).toEqual({ name: 'svc' });
  });

  it("reads every variable when the prefix is omitted or ''", async () => {
    const environ = { HOME: '/home/x', SERVER__PORT: '1' };
    expect((await loadEnv(environ)).value).toEqual({ home: '/home/x', server: { port: '1' } });
    expect((await loadEnv(environ, { prefix: '' })).value).toEqual({
      home: '/home/x',
      server: { port: '1' },
    });
  });

  it('`__` always nests; a custom separator too', async () => {
    const config = await loadEnv({ APP_A__B__C: '1' }, { prefix: 'APP_' });
    expect(config.value).toEqual({ a: { b: { c: '1' } } });
    const dotted = await loadEnv({ APP_A_X: '1', 'APP_B.C': '2' }, { prefix: 'APP_', separator: '.' });
    expect(dotted.value).toEqual({ a_x: '1', b: { c: '2' } });
  });

  it('without hints, single underscores stay in the key: APP_FOO_BAR → foo_bar', async () => {
    const config = await loadEnv({ APP_FOO_BAR: 'x', APP_MAX_CONNECTIONS: '5' }, { prefix: 'APP_' });
    expect(config.value).toEqual({ foo_bar: 'x', max_connections: '5' });
  });

  it('schema-guided: APP_LIMITS_MAX_CONNECTIONS → limits.maxConnections, APP_SERVER_PORT → server.port', async () => {
    const schema = z.object({
      server: z.object({ port: z.number(), host: z.string().default('h') }),
      limits: z.object({ maxConnections: z.number() }),
      logLevel: z.string().optional(),
    });
    const config = await loadConfig({
      schema,
      sources: [
        env({
          prefix: 'APP_',
          environ: () => ({
            APP_SERVER_PORT: '9090',
            APP_LIMITS_MAX_CONNECTIONS: '5',
            APP_LOG_LEVEL: 'debug',
            APP_FOO_BAR: 'unknown',
          }),
        }),
      ],
      watch: false,
    });
    expect(config.value).toEqual({
      server: { port: 9090, host: 'h' },
      limits: { maxConnections: 5 },
      logLevel: 'debug',
    });
    expect(config.explain('limits.maxConnections').origin).toEqual({ env: 'APP_LIMITS_MAX_CONNECTIONS' });
    expect(config.explain('server.port').origin).toEqual({ env: 'APP_SERVER_PORT' });
  });

  it('without a schema, a lower layer guides the mapping', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.yaml', 'limits:\n  maxConnections: 10\nserver:\n  port: 80\n');
    const config = await loadConfig({
      sources: [
        file(path),
        env({ prefix: 'APP_', environ: () => ({ APP_LIMITS_MAX_CONNECTIONS: '20', APP_SERVER_PORT: '81' }) }),
      ],
      watch: false,
    });
    expect(config.value).toEqual({ limits: { maxConnections: '20' }, server: { port: '81' } });
    expect(config.explain('limits.maxConnections')).toMatchObject({
      source: 'env:APP_',
      origin: { env: 'APP_LIMITS_MAX_CONNECTIONS' },
      overridden: [{ source: `file:${path}`, value: 10 }],
    });
  });

  it('the defaults layer guides the mapping too', async () => {
    const config = await loadConfig({
      defaults: { limits: { maxConnections: 1 } },
      sources: [env({ prefix: 'APP_', environ: () => ({ APP_LIMITS_MAX_CONNECTIONS: '7' }) })],
      watch: false,
    });
    expect(config.get('limits')).toEqual({ maxConnections: '7' });
  });

  it('a leaf and a branch of the same name is a CONFLICT naming both variables', async () => {
    for (const environ of [
      { APP_BROKER: 'x', APP_BROKER__ADDRESS: 'y' },
      { APP_BROKER__ADDRESS: 'y', APP_BROKER: 'x' },
    ]) {
      const error = await rejectionOf(loadEnv(environ, { prefix: 'APP_' }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain('APP_BROKER');
      expect(error.message).toContain('APP_BROKER__ADDRESS');
      expect(error.source).toBe('env:APP_');
    }
  });

  it('a schema-guided clash (APP_SERVER vs APP_SERVER_PORT) is a CONFLICT too', async () => {
    const schema = z.object({ server: z.object({ port: z.number() }).optional() });
    const error = await rejectionOf(
      loadConfig({
        schema,
        sources: [env({ prefix: 'APP_', environ: () => ({ APP_SERVER: 'x', APP_SERVER_PORT: '1' }) })],
        watch: false,
      }),
    );
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect(error.message).toMatch(/APP_SERVER\b/);
    expect(error.message).toContain('APP_SERVER_PORT');
  });

  it('skips undefined values and names that are only the prefix', async () => {
    const config = await loadEnv({ APP_: 'x', APP_A: undefined, APP_B: '' }, { prefix: 'APP_' });
    expect(config.value).toEqual({ b: '' });
  });

  it('names the source after its prefixes', () => {
    expect(env({ prefix: 'APP_' }).name).toBe('env:APP_');
    expect(env({ prefix: ['A_', 'B_'] }).name).toBe('env:A_,B_');
    expect(env().name).toBe('env:*');
  });

  it('reads process.env by default', async () => {
    const name = `LIVECFG_ENV_TEST_${process.pid}_VALUE`;
    process.env[name] = 'yes';
    try {
      const config = await loadConfig({
        sources: [env({ prefix: `LIVECFG_ENV_TEST_${process.pid}_` })],
        watch: false,
      });
      expect(config.value).toEqual({ value: 'yes' });
    } finally {
      delete process.env[name];
    }
  });

  it('re-reads the environment on sync()', async () => {
    const environ: Environ = { APP_A: '1' };
    const config = await loadConfig({
      sources: [env({ prefix: 'APP_', environ: () => environ })],
      watch: false,
    });
    environ.APP_A = '2';
    await config.sync();
    expect(config.get('a')).toBe('2');
    expect(config.version).toBe(2);
  });
});

describe('envNameToPath', () => {
  const hints = (tree: Record<string, unknown>) => ({
    childKeys(path: readonly string[]) {
      let node: unknown = tree;
      for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
      return node && typeof node === 'object' ? Object.keys(node) : [];
    },
  });

  it('prefers the longest known key', () => {
    const known = hints({ max: { connections: 1 }, maxConnections: 1 });
    expect(envNameToPath('MAX_CONNECTIONS', '__', known)).toEqual(['maxConnections']);
  });

  it('falls back to lower-cased words joined by _ for unknown tails', () => {
    const known = hints({ server: { port: 1 } });
    expect(envNameToPath('SERVER_TLS_CERT_FILE', '__', known)).toEqual(['server', 'tls_cert_file']);
  });

  it('matches keys with dashes and underscores', () => {
    const known = hints({ 'log-level': 1, log_file: 2 });
    expect(envNameToPath('LOG_LEVEL', '__', known)).toEqual(['log-level']);
    expect(envNameToPath('LOG_FILE', '__', known)).toEqual(['log_file']);
  });
});

describe('env source: coercion', () => {
  const Schema = z.object({
    port: z.number().int(),
    ratio: z.number(),
    debug: z.boolean(),
    verbose: z.boolean(),
    quiet: z.boolean(),
    tags: z.array(z.string()),
    ids: z.array(z.number()),
    json: z.array(z.string()),
    obj: z.object({ a: z.number(), b: z.string() }),
    name: z.string(),
    big: z.bigint(),
  });

  it('converts strings to what the zod schema expects', async () => {
    const config = await loadConfig({
      schema: Schema,
      sources: [
        env({
          prefix: 'APP_',
          environ: () => ({
            APP_PORT: '8080',
            APP_RATIO: '0.25',
            APP_DEBUG: 'true',
            APP_VERBOSE: '1',
            APP_QUIET: 'false',
            APP_TAGS: 'a, b,c',
            APP_IDS: '1,2,3',
            APP_JSON: '["a","b"]',
            APP_OBJ: '{"a": 1, "b": "x"}',
            APP_NAME: '123',
            APP_BIG: '9007199254740993',
          }),
        }),
      ],
      watch: false,
    });
    expect(config.value).toEqual({
      port: 8080,
      ratio: 0.25,
      debug: true,
      verbose: true,
      quiet: false,
      tags: ['a', 'b', 'c'],
      ids: [1, 2, 3],
      json: ['a', 'b'],
      obj: { a: 1, b: 'x' },
      name: '123',
      big: 9007199254740993n,
    });
    expect(config.explain('port')).toMatchObject({ value: 8080, origin: { env: 'APP_PORT' } });
  });

  it('without a schema values stay strings and at() converts them', async () => {
    const config = await loadEnv(
      { APP_PORT: '8080', APP_DEBUG: 'true', APP_OFF: '0', APP_TAGS: 'a,b', APP_TIMEOUT: '1m30s' },
      { prefix: 'APP_' },
    );
    expect(config.value).toEqual({ port: '8080', debug: 'true', off: '0', tags: 'a,b', timeout: '1m30s' });
    expect(config.at('port').int(0)).toBe(8080);
    expect(config.at('port').number(0)).toBe(8080);
    expect(config.at('debug').bool(false)).toBe(true);
    expect(config.at('off').bool(true)).toBe(false);
    expect(config.at('tags').stringArray([])).toEqual(['a', 'b']);
    expect(config.at('timeout').duration(0)).toBe(90_000);
  });

  it('a value the schema rejects names the path, the value and the variable', async () => {
    const schema = z.object({ limits: z.object({ maxConnections: z.number().int().positive() }) });
    for (const [raw, got] of [
      ['-5', 'got -5'],
      ['abc', 'got "abc"'],
    ]) {
      const error = await rejectionOf(
        loadConfig({
          schema,
          sources: [env({ prefix: 'APP_', environ: () => ({ APP_LIMITS_MAX_CONNECTIONS: raw }) })],
          watch: false,
        }),
      );
      expect(error).toMatchObject({ code: 'VALIDATION', path: 'limits.maxConnections', source: 'env:APP_' });
      expect(error.message).toContain('limits.maxConnections');
      expect(error.message).toContain(got);
      expect(error.message).toContain('(from env APP_LIMITS_MAX_CONNECTIONS)');
      expect(error.issues).toEqual([
        expect.objectContaining({
          path: 'limits.maxConnections',
          source: 'env:APP_',
          origin: { env: 'APP_LIMITS_MAX_CONNECTIONS' },
        }),
      ]);
    }
  });
});

describe('envNameToPath: backtracking', () => {
  const hints = (tree: Record<string, unknown>) => ({
    childKeys(path: readonly string[]) {
      let node: unknown = tree;
      for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
      return node && typeof node === 'object' ? Object.keys(node) : [];
    },
  });

  it('backs off from a longer key when the rest of the name does not fit below it', () => {
    const known = hints({ a: { a: { a: 1 }, b: 1 }, aA: 1 });
    expect(envNameToPath('A_A_A', '__', known)).toEqual(['a', 'a', 'a']);
    expect(envNameToPath('A_A', '__', known)).toEqual(['aA']);
    expect(envNameToPath('A_B', '__', known)).toEqual(['a', 'b']);
  });

  it('finds limits.maxConnections beside a sibling limitsMax', () => {
    const known = hints({ limitsMax: 1, limits: { maxConnections: 1 } });
    expect(envNameToPath('LIMITS_MAX_CONNECTIONS', '__', known)).toEqual(['limits', 'maxConnections']);
  });

  it('stays fast on pathological names', () => {
    let tree: Record<string, unknown> = { a: 1 };
    for (let depth = 0; depth < 30; depth++) tree = { a: tree, aA: tree };
    const name = Array(200).fill('A').join('_');
    const path = envNameToPath(`${name}_Z`, '__', hints(tree));
    expect(path.length).toBeGreaterThan(0);
  });
});
