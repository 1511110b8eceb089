import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coerceTree } from '../../src/reader/coerce.js';
import { toArray, toBoolean, toNumber, toObject } from '../../src/reader/coerce-scalar.js';
import { shapeAt, shapeOf } from '../../src/reader/schema-shape.js';

describe('scalar conversions', () => {
  it('toNumber', () => {
    expect(toNumber('42')).toBe(42);
    expect(toNumber(' -1.5 ')).toBe(-1.5);
    expect(toNumber('.5')).toBe(0.5);
    expect(toNumber('1e3')).toBe(1000);
    expect(toNumber('0x1f')).toBe(31);
    expect(toNumber('Infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(toNumber(10n)).toBe(10);
    for (const wrong of ['', ' ', 'abc', '1a', 'NaN', true, null, undefined, {}, Number.NaN]) {
      expect(toNumber(wrong), String(wrong)).toBeUndefined();
    }
  });

  it('toBoolean', () => {
    expect(toBoolean(' Yes ')).toBe(true);
    expect(toBoolean('OFF')).toBe(false);
    expect(toBoolean(1)).toBe(true);
    expect(toBoolean(0)).toBe(false);
    expect(toBoolean(2)).toBeUndefined();
    expect(toBoolean('')).toBeUndefined();
  });

  it('toArray', () => {
    expect(toArray('a,b')).toEqual(['a', 'b']);
    expect(toArray(' a , b ')).toEqual(['a', 'b']);
    expect(toArray('')).toEqual([]);
    expect(toArray('[1, "x"]')).toEqual([1, 'x']);
    expect(toArray('[not json')).toEqual(['[not json']);
    expect(toArray(5)).toBeUndefined();
  });

  it('toObject', () => {
    expect(toObject('{"a": 1}')).toEqual({ a: 1 });
    expect(toObject('{bad')).toBeUndefined();
    expect(toObject('[1]')).toBeUndefined();
    expect(toObject('x')).toBeUndefined();
  });
});

describe('coerceTree', () => {
  const schema = z.object({
    port: z.number(),
    on: z.boolean(),
    big: z.bigint(),
    list: z.array(z.number()),
    nested: z.object({ deep: z.array(z.object({ n: z.number() })) }),
    map: z.record(z.string(), z.number()),
    either: z.union([z.number(), z.boolean()]),
    text: z.union([z.string(), z.number()]),
    optional: z.number().optional(),
    withDefault: z.number().default(1),
    piped: z.string().pipe(z.coerce.number()),
  });
  const shape = shapeOf(schema);

  it('converts strings where the schema expects other kinds', () => {
    const input = {
      port: '80',
      on: 'yes',
      big: '12',
      list: '1, 2',
      nested: { deep: '[{"n": "3"}]' },
      map: { a: '1', b: '2' },
      either: 'true',
      text: '5',
      optional: '7',
      withDefault: '8',
      piped: '9',
      extra: '10',
    };
    expect(coerceTree(input, shape)).toEqual({
      port: 80,
      on: true,
      big: 12n,
      list: [1, 2],
      nested: { deep: [{ n: 3 }] },
      map: { a: 1, b: 2 },
      either: true,
      text: '5',
      optional: 7,
      withDefault: 8,
      piped: '9',
      extra: '10',
    });
  });

  it('leaves values that do not convert as they are, for validation to report', () => {
    const input = { port: 'eighty', on: 'maybe', big: 'x', list: 5 };
    expect(coerceTree(input, shape)).toEqual(input);
  });

  it('returns the same object when nothing changed', () => {
    const input = { port: 80, list: [1, 2], nested: { deep: [{ n: 1 }] } };
    expect(coerceTree(input, shape)).toBe(input);
  });

  it('understands valibot schemas', () => {
    const valibot = shapeOf(
      v.object({
        port: v.number(),
        on: v.optional(v.boolean()),
        tags: v.array(v.string()),
        r: v.record(v.string(), v.number()),
      }),
    );
    expect(coerceTree({ port: '1', on: 'false', tags: 'a,b', r: { x: '2' } }, valibot)).toEqual({
      port: 1,
      on: false,
      tags: ['a', 'b'],
      r: { x: 2 },
    });
  });

  it('shapeAt finds nested shapes through objects, records and arrays', () => {
    expect(shapeAt(shape, ['nested', 'deep', '0', 'n'])).toEqual({ kind: 'number' });
    expect(shapeAt(shape, ['map', 'anything'])).toEqual({ kind: 'number' });
    expect(shapeAt(shape, ['nope'])).toBeUndefined();
    expect(shapeAt(shape, ['port', 'x'])).toBeUndefined();
  });

  it('an unknown validator gives an unknown shape and no coercion', () => {
    const custom = { '~standard': { version: 1, vendor: 'x', validate: (value: unknown) => ({ value }) } };
    const unknown = shapeOf(custom);
    expect(unknown).toEqual({ kind: 'unknown' });
    expect(coerceTree({ a: '1' }, unknown)).toEqual({ a: '1' });
  });
});
