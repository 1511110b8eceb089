import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { adopt, mergeLayer, mergeLayers } from '../../src/reader/merge.js';
import { deepFreeze } from '../../src/reader/tree.js';

describe('mergeLayers', () => {
  it('objects merge deeply; arrays and scalars replace; null replaces; undefined is absent', () => {
    const merged = mergeLayers([
      { a: { b: 1, c: [1, 2], d: { e: 1 } }, f: 'x', g: 1 },
      { a: { c: [3], d: null }, f: { now: 'object' }, g: undefined },
      { a: { b: 2 } },
    ]);
    expect(merged).toEqual({ a: { b: 2, c: [3], d: null }, f: { now: 'object' }, g: 1 });
  });

  it('a scalar over a branch replaces it, a branch over a scalar replaces it', () => {
    expect(mergeLayers([{ a: { b: 1 } }, { a: 5 }])).toEqual({ a: 5 });
    expect(mergeLayers([{ a: 5 }, { a: { b: 1 } }])).toEqual({ a: { b: 1 } });
  });

  it('ignores layers that are not plain objects', () => {
    expect(mergeLayers([{ a: 1 }, null, [1, 2], 'x', undefined, { b: 2 }])).toEqual({ a: 1, b: 2 });
  });

  it('adopts subtrees without copying and freezes them; never changes an adopted subtree', () => {
    const lower = { shared: { x: 1 }, only: { y: 1 } };
    const upper = { shared: { z: 2 } };
    const merged = mergeLayers([lower, upper]);
    expect(merged.only).toBe(lower.only);
    expect(Object.isFrozen(lower.only)).toBe(true);
    expect(merged.shared).toEqual({ x: 1, z: 2 });
    expect(lower.shared).toEqual({ x: 1 });
    expect(upper.shared).toEqual({ z: 2 });
  });

  it('mergeLayer returns a copy when the target is frozen', () => {
    const target = deepFreeze({ a: { b: 1 } });
    const merged = mergeLayer(target, { a: { c: 2 } });
    expect(merged).not.toBe(target);
    expect(merged).toEqual({ a: { b: 1, c: 2 } });
    expect(target).toEqual({ a: { b: 1 } });
  });

  it('cleans __proto__ keys out of subtrees that arrive already frozen (copying them)', () => {
    const frozen = deepFreeze(
      JSON.parse('{"a": {"__proto__": {"x": 1}, "b": [{"__proto__": {"x": 1}, "c": 1}]}}'),
    );
    const dropped: string[][] = [];
    const merged = mergeLayers([frozen], dropped);
    const a = merged.a as Record<string, unknown>;
    expect(Object.hasOwn(a, '__proto__')).toBe(false);
    expect(a).toEqual({ b: [{ c: 1 }] });
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.getPrototypeOf(Object.assign({}, a))).toBe(Object.prototype);
    expect(dropped).toEqual([
      ['a', '__proto__'],
      ['a', 'b', '0', '__proto__'],
    ]);
    // the caller's frozen data is untouched
    expect(Object.hasOwn(frozen.a, '__proto__')).toBe(true);
  });

  it('keeps clean frozen subtrees as they are', () => {
    const frozen = deepFreeze({ a: { b: [1, { c: 2 }] } });
    expect(adopt(frozen.a)).toBe(frozen.a);
    expect(mergeLayers([frozen]).a).toBe(frozen.a);
  });

  it('a custom source with deep-frozen hostile data cannot put __proto__ into a snapshot', async () => {
    const data = deepFreeze(JSON.parse('{"a": {"__proto__": {"polluted": 1}, "b": 1}}'));
    const config = await loadConfig({
      sources: [
        {
          name: 'frozen',
          read: async () => ({ data, checksum: '1', source: 'frozen', timestamp: new Date() }),
        },
      ],
      watch: false,
    });
    const a = config.get('a') as Record<string, unknown>;
    expect(Object.hasOwn(a, '__proto__')).toBe(false);
    expect((Object.assign({}, a) as Record<string, unknown>).polluted).toBeUndefined();
  });
});
