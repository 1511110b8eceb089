import { describe, expect, it } from 'vitest';
import { formatPath, toPath } from '../../src/reader/path.js';
import { pathKey, StaticOriginMap } from '../../src/reader/provenance.js';
import { deepEqual, deepFreeze, depthOf, getPath, hasPath, setPath } from '../../src/reader/tree.js';
import { thrownBy } from '../helpers/temp-dir.js';

describe('paths', () => {
  it('toPath splits dotted strings; arrays are taken as they are', () => {
    expect(toPath('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(toPath('')).toEqual([]);
    expect(toPath('a..b')).toEqual(['a', '', 'b']);
    expect(toPath(['a.b', 0, ''])).toEqual(['a.b', '0', '']);
    expect(thrownBy(() => toPath(5 as never)).code).toBe('INVALID_ARGUMENT');
  });

  it('formatPath quotes keys with dots, spaces or quotes', () => {
    expect(formatPath(['a', 'b.c', 0, 'd e'])).toBe('a."b.c".0."d e"');
  });
});

describe('tree helpers', () => {
  it('getPath/hasPath read own properties only', () => {
    const tree = { a: { b: [10, { c: null }] } };
    expect(getPath(tree, ['a', 'b', '1', 'c'])).toBeNull();
    expect(hasPath(tree, ['a', 'b', '1', 'c'])).toBe(true);
    expect(getPath(tree, ['a', 'b', 'length'])).toBeUndefined();
    expect(hasPath(tree, ['a', 'b', 'length'])).toBe(false);
    expect(getPath(tree, ['a', 'b', '01'])).toBeUndefined();
    expect(getPath(tree, ['a', 'b', '2'])).toBeUndefined();
    expect(getPath(tree, ['a', 'toString'])).toBeUndefined();
    expect(hasPath(tree, ['a', '__proto__'])).toBe(false);
    expect(getPath(tree, ['a', 'b', '0', 'x'])).toBeUndefined();
    expect(getPath(tree, [])).toBe(tree);
  });

  it('setPath creates branches, replaces scalars in the way and ignores __proto__', () => {
    const tree: Record<string, unknown> = { a: 1 };
    setPath(tree, ['a', 'b'], 2);
    setPath(tree, ['x', 'y', 'z'], 3);
    setPath(tree, ['__proto__', 'polluted'], 1);
    setPath(tree, ['q', '__proto__'], 1);
    expect(tree).toEqual({ a: { b: 2 }, x: { y: { z: 3 } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deepFreeze freezes nested objects and arrays', () => {
    const tree = deepFreeze({ a: { b: [{ c: 1 }] } });
    expect(Object.isFrozen(tree.a.b[0])).toBe(true);
  });

  it('deepEqual compares structure; NaN equals NaN; arrays differ from objects', () => {
    expect(deepEqual({ a: [1, { b: Number.NaN }] }, { a: [1, { b: Number.NaN }] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
    expect(deepEqual({ a: 1 }, { b: 1 })).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
  });

  it('depthOf counts nesting without recursion', () => {
    expect(depthOf(1)).toBe(0);
    expect(depthOf({})).toBe(1);
    expect(depthOf({ a: [{ b: 1 }] })).toBe(3);
    let deep: unknown = 1;
    for (let index = 0; index < 20_000; index++) deep = { a: deep };
    expect(depthOf(deep)).toBeGreaterThan(1000);
  });
});

describe('pathKey', () => {
  it('is unambiguous, also for keys containing the joining character', () => {
    const paths = [
      [],
      [''],
      ['', ''],
      ['a'],
      ['a', 'b'],
      ['a\u0000b'],
      ['a\u0000', 'b'],
      ['a', '\u0000b'],
      ['1:a'],
    ];
    const keys = new Set(paths.map(pathKey));
    expect(keys.size).toBe(paths.length);
  });

  it('origins of keys containing \\u0000 stay apart', () => {
    const origins = new StaticOriginMap();
    origins.set(['a\u0000b', 'c'], { env: 'ONE' });
    origins.set(['a', 'b\u0000c'], { env: 'TWO' });
    expect(origins.lookup(['a\u0000b', 'c'])).toEqual({ env: 'ONE' });
    expect(origins.lookup(['a', 'b\u0000c'])).toEqual({ env: 'TWO' });
  });
});
