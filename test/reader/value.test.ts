import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../src/index.js';
import { Value } from '../../src/reader/value.js';
import { thrownBy } from '../helpers/temp-dir.js';

const at = (value: unknown) => new Value(value, 'some.path');
const missing = at(undefined);

describe('Value accessors', () => {
  it('string()', () => {
    expect(at('text').string('fb')).toBe('text');
    expect(at('').string('fb')).toBe('');
    expect(at(42).string('fb')).toBe('42');
    expect(at(true).string('fb')).toBe('true');
    expect(at(10n).string('fb')).toBe('10');
    expect(missing.string('fb')).toBe('fb');
    expect(missing.string()).toBeUndefined();
    for (const wrong of [null, { a: 1 }, ['a']]) expect(at(wrong).string('fb')).toBe('fb');
  });

  it('number()', () => {
    expect(at(42).number(0)).toBe(42);
    expect(at(1.5).number(0)).toBe(1.5);
    expect(at('8080').number(0)).toBe(8080);
    expect(at(' 1e3 ').number(0)).toBe(1000);
    expect(at('-2.5').number(0)).toBe(-2.5);
    expect(at('0x10').number(0)).toBe(16);
    expect(missing.number(7)).toBe(7);
    expect(missing.number()).toBeUndefined();
    for (const wrong of ['abc', '', '12abc', true, null, { a: 1 }, [1], Number.NaN]) {
      expect(at(wrong).number(-1), String(wrong)).toBe(-1);
    }
  });

  it('int()', () => {
    expect(at(42).int(0)).toBe(42);
    expect(at('8080').int(0)).toBe(8080);
    expect(at('-3').int(0)).toBe(-3);
    expect(missing.int(9)).toBe(9);
    for (const wrong of [1.5, '1.5', 'abc', true, null, {}])
      expect(at(wrong).int(-1), String(wrong)).toBe(-1);
  });

  it('bool()', () => {
    for (const yes of [true, 'true', 'TRUE', '1', 1, 'yes', 'on'])
      expect(at(yes).bool(false), String(yes)).toBe(true);
    for (const no of [false, 'false', 'False', '0', 0, 'no', 'off'])
      expect(at(no).bool(true), String(no)).toBe(false);
    expect(missing.bool(true)).toBe(true);
    expect(missing.bool()).toBeUndefined();
    for (const wrong of ['maybe', 2, null, {}, []]) expect(at(wrong).bool(true), String(wrong)).toBe(true);
  });

  it('duration()', () => {
    expect(at('1h2m3.5s').duration(0)).toBe(3_723_500);
    expect(at('250ms').duration(0)).toBe(250);
    expect(at('1m30s').duration(0)).toBe(90_000);
    expect(at('-1.5h').duration(0)).toBe(-5_400_000);
    expect(at('1500us').duration(0)).toBe(1.5);
    expect(at('0').duration(5)).toBe(0);
    expect(at('1500').duration(0)).toBe(1500);
    expect(at(1500).duration(0)).toBe(1500);
    expect(at(0).duration(5)).toBe(0);
    expect(missing.duration(5000)).toBe(5000);
    expect(missing.duration()).toBeUndefined();
    for (const wrong of ['abc', '1x', '1h bogus', '', 'h', true, null, {}, [1], Number.POSITIVE_INFINITY]) {
      expect(at(wrong).duration(-1), String(wrong)).toBe(-1);
    }
  });

  it('stringArray()', () => {
    expect(at(['a', 1, true]).stringArray([])).toEqual(['a', '1', 'true']);
    expect(at('a, b,c').stringArray([])).toEqual(['a', 'b', 'c']);
    expect(at('["x","y"]').stringArray([])).toEqual(['x', 'y']);
    expect(at('single').stringArray([])).toEqual(['single']);
    expect(missing.stringArray(['fb'])).toEqual(['fb']);
    for (const wrong of [[{ a: 1 }], [[1]], 5, null, { a: 1 }]) {
      expect(at(wrong).stringArray(['fb']), JSON.stringify(wrong)).toEqual(['fb']);
    }
  });

  it('stringMap()', () => {
    expect(at({ a: 1, b: 'x', c: false }).stringMap({})).toEqual({ a: '1', b: 'x', c: 'false' });
    expect(missing.stringMap({ fb: '1' })).toEqual({ fb: '1' });
    for (const wrong of [{ a: { b: 1 } }, { a: null }, 'a=b', ['a'], 1]) {
      expect(at(wrong).stringMap({ fb: '1' }), JSON.stringify(wrong)).toEqual({ fb: '1' });
    }
  });

  it('exists() and raw()', () => {
    expect(missing.exists()).toBe(false);
    expect(missing.raw()).toBeUndefined();
    expect(at(null).exists()).toBe(true);
    expect(at(0).exists()).toBe(true);
    const object = { a: 1 };
    expect(at(object).raw()).toBe(object);
  });

  it('parse() returns the schema output', () => {
    const schema = z.object({ port: z.coerce.number(), host: z.string().default('h') });
    expect(at({ port: '80' }).parse(schema)).toEqual({ port: 80, host: 'h' });
  });

  it('parse() throws VALIDATION naming the full path of each issue', () => {
    const error = thrownBy(() => at({ port: 'x' }).parse(z.object({ port: z.number(), host: z.string() })));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('some.path');
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'some.path.port' }),
      expect.objectContaining({ path: 'some.path.host' }),
    ]);
    expect(error.message).toContain('some.path.port');
  });

  it('parse() of a missing value throws VALIDATION (unless the schema accepts undefined)', () => {
    expect(thrownBy(() => missing.parse(z.number())).code).toBe('VALIDATION');
    expect(missing.parse(z.number().default(3))).toBe(3);
  });

  it('parse() rejects an asynchronous schema with INVALID_ARGUMENT', () => {
    const schema = z.string().refine(async () => true);
    expect(thrownBy(() => at('x').parse(schema)).code).toBe('INVALID_ARGUMENT');
  });
});
