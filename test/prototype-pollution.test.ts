import { afterEach, describe, expect, it } from 'vitest';
import { type Config, env, file, flags, loadConfig, memory } from '../src/index.js';
import { mergeLayers } from '../src/reader/merge.js';
import { useTempDirs } from './helpers/temp-dir.js';

const tempDir = useTempDirs();

/** Object.prototype (and Function.prototype, via constructor.prototype) must stay clean. */
function expectPrototypesClean(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe.x).toBeUndefined();
  expect(probe.polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'x')).toBe(false);
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  expect(Object.hasOwn(Function.prototype, 'x')).toBe(false);
  expect((Object as unknown as Record<string, unknown>).x).toBeUndefined();
}

/** No object in the snapshot has an own `__proto__` key or a prototype other than Object.prototype. */
function expectNoProtoKeys(value: unknown): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    expect(Object.hasOwn(node, '__proto__')).toBe(false);
    if (!Array.isArray(node)) expect(Object.getPrototypeOf(node)).toBe(Object.prototype);
    for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key]);
  }
}

function expectSafe(config: Config): void {
  expectPrototypesClean();
  expectNoProtoKeys(config.value);
  // A user's shallow copy of a subtree must not swap its prototype.
  for (const key of Object.keys(config.value)) {
    const copy = Object.assign({}, config.value[key]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  }
}

afterEach(() => {
  // Never leak pollution into later tests, whatever happened.
  for (const target of [Object.prototype, Function.prototype] as Record<string, unknown>[]) {
    delete target.x;
    delete target.polluted;
  }
});

describe('no input can pollute prototypes', () => {
  it.each([
    [
      'json',
      'p.json',
      '{"__proto__": {"x": 1}, "a": {"__proto__": {"polluted": 1}, "b": 1}, "constructor": {"prototype": {"x": 1}}}',
    ],
    [
      'yaml',
      'p.yaml',
      '__proto__:\n  x: 1\na:\n  __proto__:\n    polluted: 1\n  b: 1\nconstructor:\n  prototype:\n    x: 1\n',
    ],
    ['yaml merge key', 'm.yaml', 'base: &b\n  __proto__:\n    x: 1\nother:\n  <<: *b\n  y: 1\n'],
    [
      'toml',
      'p.toml',
      '[__proto__]\nx = 1\n\n[a.__proto__]\npolluted = 1\n\n[constructor.prototype]\nx = 1\n',
    ],
    ['toml dotted', 'q.toml', '"__proto__".x = 1\na."__proto__".polluted = 1\n'],
    ['.env', 'p.env', '__proto__=1\n__proto____x=1\nA____proto____x=2\nconstructor__prototype__x=3\n'],
  ])('%s files', async (_kind, name, text) => {
    const dir = await tempDir();
    const config = await loadConfig({ sources: [file(await dir.write(name, text))], watch: false });
    expectSafe(config);
    if (name === 'p.json' || name === 'p.yaml') {
      expect(config.get('a')).toEqual({ b: 1 });
      // constructor/prototype survive only as plain own data keys
      expect(config.get('constructor.prototype.x')).toBe(1);
    }
  });

  it('.env files read as environment (env({ files })): __proto__ lines are dropped, nothing is frozen or polluted', async () => {
    const dir = await tempDir();
    const path = await dir.write(
      '.env',
      '__proto__=1\nAPP___proto____x=1\nAPP_constructor__prototype__x=3\nAPP_OK=1\n',
    );
    const config = await loadConfig({
      sources: [env({ prefix: 'APP_', files: [path], environ: () => ({}) })],
      watch: false,
    });
    expectSafe(config);
    expect(Object.isFrozen(Object.prototype)).toBe(false);
    expect(config.get('ok')).toBe('1');
    await config.close();
  });

  it('env variables (APP___PROTO____X, APP_CONSTRUCTOR__PROTOTYPE__X)', async () => {
    const config = await loadConfig({
      sources: [
        env({
          prefix: 'APP_',
          environ: () => ({
            APP___PROTO____X: '1',
            APP_A____PROTO____POLLUTED: '1',
            APP_CONSTRUCTOR__PROTOTYPE__X: '1',
            __proto__: 'not a variable',
          }),
        }),
        env({ environ: () => ({ __PROTO____X: '1' }) }),
        env({ environ: () => JSON.parse('{"__proto__": "1", "constructor": "2"}') }),
      ],
      watch: false,
    });
    expectSafe(config);
  });

  it('env variables named exactly __proto__ segments', async () => {
    const environ = Object.create(null) as Record<string, string>;
    environ.APP___proto____x = '1';
    environ.APP_a____proto____polluted = '1';
    const bare = Object.create(null) as Record<string, string>;
    bare.APP___proto__ = '1';
    const config = await loadConfig({
      sources: [
        env({ prefix: 'APP_', environ: () => environ }),
        env({ prefix: 'APP_', environ: () => bare }),
      ],
      watch: false,
    });
    expectSafe(config);
  });

  it('flags (--__proto__.x=1, --constructor.prototype.x=1)', async () => {
    const config = await loadConfig({
      sources: [
        flags([
          '--__proto__.x=1',
          '--constructor.prototype.x=1',
          '--a.__proto__.polluted=1',
          '--__proto__',
          '1',
          '--no-__proto__',
          '--__proto__=1',
        ]),
      ],
      watch: false,
    });
    expectSafe(config);
    expect(config.get('constructor.prototype.x')).toBe('1');
  });

  it('memory sources, defaults and set()', async () => {
    const hostile = JSON.parse('{"__proto__": {"x": 1}, "a": {"__proto__": {"polluted": 1}}}');
    const config = await loadConfig({
      defaults: JSON.parse('{"__proto__": {"x": 1}, "d": {"__proto__": {"polluted": 1}}}'),
      sources: [memory(hostile)],
      watch: false,
    });
    expectSafe(config);
    // A __proto__ key in a set()/delete() path or value is rejected, never merged.
    await expect(config.set('__proto__.x', 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await config.set(['constructor', 'prototype', 'x'], 1);
    await expect(config.set('b', JSON.parse('{"__proto__": {"x": 1}}'))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(config.set(['a', '__proto__'], { polluted: 1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expectSafe(config);
    await expect(config.delete('__proto__')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(config.delete('__proto__.x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expectSafe(config);
  });

  it('mergeLayers drops and reports __proto__ keys at any depth', () => {
    const dropped: string[][] = [];
    const merged = mergeLayers(
      [
        JSON.parse('{"a": {"b": 1}}'),
        JSON.parse('{"__proto__": {"x": 1}, "a": {"__proto__": {"x": 1}, "c": [{"__proto__": {"x": 1}}]}}'),
      ],
      dropped,
    );
    expect(merged).toEqual({ a: { b: 1, c: [{}] } });
    expect(dropped).toEqual([['__proto__'], ['a', '__proto__'], ['a', 'c', '0', '__proto__']]);
    expectNoProtoKeys(merged);
    expectPrototypesClean();
  });
});
