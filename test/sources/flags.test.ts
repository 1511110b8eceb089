import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { flags, loadConfig } from '../../src/index.js';
import { parseFlags } from '../../src/sources/flags/flags.js';

async function loadFlags(argv: string[], options: Parameters<typeof flags>[1] = {}) {
  return loadConfig({ sources: [flags(argv, options)], watch: false });
}

describe('flags source', () => {
  it('--a.b=1 and --a.b 1 set nested string values', async () => {
    const config = await loadFlags(['--a.b=1', '--c.d', '2', '--e=', '--f=x=y']);
    expect(config.value).toEqual({ a: { b: '1' }, c: { d: '2' }, e: '', f: 'x=y' });
  });

  it('--debug is true and --no-debug is false', async () => {
    const config = await loadFlags(['--debug', '--no-verbose', '--feature.beta', '--no-feature.alpha']);
    expect(config.value).toEqual({ debug: true, verbose: false, feature: { beta: true, alpha: false } });
    expect(config.explain('verbose').origin).toEqual({ flag: '--no-verbose' });
    expect(config.explain('feature.alpha').origin).toEqual({ flag: '--no-feature.alpha' });
  });

  it('a bare flag followed by another flag is true', async () => {
    const config = await loadFlags(['--debug', '--port', '80']);
    expect(config.value).toEqual({ debug: true, port: '80' });
  });

  it('kebab-case becomes camelCase at every level', async () => {
    const config = await loadFlags([
      '--max-connections=1',
      '--limits.max-connections=2',
      '--http-server.read-timeout.max-value=3',
    ]);
    expect(config.value).toEqual({
      maxConnections: '1',
      limits: { maxConnections: '2' },
      httpServer: { readTimeout: { maxValue: '3' } },
    });
  });

  it('`--` stops parsing; short flags and positionals are ignored', async () => {
    const config = await loadFlags(['serve', '-v', '--a=1', '--', '--b=2', 'x']);
    expect(config.value).toEqual({ a: '1' });
  });

  it('a repeated flag becomes an array in order', async () => {
    const config = await loadFlags(['--tag', 'x', '--tag=y', '--tag', 'z', '--one=1']);
    expect(config.value).toEqual({ tag: ['x', 'y', 'z'], one: '1' });
    expect(config.explain('tag').origin).toEqual({ flag: '--tag' });
  });

  it('unknown flags are kept, also with a schema (non-strict object)', async () => {
    const schema = z.object({ port: z.number() });
    const config = await loadConfig({
      schema: schema.loose(),
      sources: [flags(['--port=1', '--unknown-thing', '--x.y=z'])],
      watch: false,
    });
    expect(config.value).toEqual({ port: 1, unknownThing: true, x: { y: 'z' } });
    const untyped = await loadFlags(['--whatever=1']);
    expect(untyped.value).toEqual({ whatever: '1' });
  });

  it('a prefix selects and strips flags', async () => {
    const config = await loadFlags(['--config.a=1', '--other=2', '--config.b.c-d=3'], { prefix: 'config.' });
    expect(config.value).toEqual({ a: '1', b: { cD: '3' } });
    expect(flags([], { prefix: 'config.' }).name).toBe('flags:config.');
    expect(flags([]).name).toBe('flags');
  });

  it('explain() shows the flag as written', async () => {
    const config = await loadFlags(['--limits.max-connections', '5']);
    expect(config.explain('limits.maxConnections')).toEqual({
      path: 'limits.maxConnections',
      value: '5',
      source: 'flags',
      origin: { flag: '--limits.max-connections' },
      description: 'flag --limits.max-connections',
      overridden: [],
    });
  });

  it('coerces with a zod schema', async () => {
    const schema = z.object({
      port: z.number(),
      debug: z.boolean(),
      quiet: z.boolean(),
      verbose: z.boolean(),
      tags: z.array(z.string()),
      list: z.array(z.string()),
      json: z.array(z.string()),
      limits: z.object({ maxConnections: z.number().int() }),
      obj: z.object({ a: z.number() }),
    });
    const config = await loadConfig({
      schema,
      sources: [
        flags([
          '--port',
          '9090',
          '--debug',
          '--quiet=false',
          '--verbose=1',
          '--tags',
          'a',
          '--tags',
          'b',
          '--list=x,y',
          '--json=["p","q"]',
          '--limits.max-connections=7',
          '--obj={"a": 2}',
        ]),
      ],
      watch: false,
    });
    expect(config.value).toEqual({
      port: 9090,
      debug: true,
      quiet: false,
      verbose: true,
      tags: ['a', 'b'],
      list: ['x', 'y'],
      json: ['p', 'q'],
      limits: { maxConnections: 7 },
      obj: { a: 2 },
    });
  });

  it('without a schema values stay strings (bare flags booleans); at() converts', async () => {
    const config = await loadFlags(['--port=8080', '--debug=true', '--timeout=250ms', '--on']);
    expect(config.value).toEqual({ port: '8080', debug: 'true', timeout: '250ms', on: true });
    expect(config.at('port').int(0)).toBe(8080);
    expect(config.at('debug').bool(false)).toBe(true);
    expect(config.at('timeout').duration(0)).toBe(250);
    expect(config.at('on').bool(false)).toBe(true);
  });

  it('reads process.argv by default', () => {
    expect(flags().name).toBe('flags');
  });
});

describe('parseFlags', () => {
  it('returns the flag, its path and its value', () => {
    expect(parseFlags(['--a.b-c=1', '--no-x', '--y'])).toEqual([
      { flag: '--a.b-c', path: ['a', 'bC'], value: '1' },
      { flag: '--no-x', path: ['x'], value: false },
      { flag: '--y', path: ['y'], value: true },
    ]);
  });

  it('ignores flags with an empty path', () => {
    expect(parseFlags(['--=1', '--.', '--..=2'])).toEqual([]);
  });
});
