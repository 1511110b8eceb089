import { writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { file, loadConfig } from '../../src/index.js';
import { nonPlainError } from '../../src/reader/formats/errors.js';
import { parseDocument, prepareFormat } from '../../src/reader/formats/index.js';
import { toPlainData } from '../../src/reader/formats/plain.js';
import { isPlainObject } from '../../src/reader/tree.js';
import { thrownBy, useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const context = { source: 'file:app.yaml', file: 'app.yaml', originBase: { file: 'app.yaml' } };

beforeAll(async () => {
  await prepareFormat('yaml');
  await prepareFormat('toml');
});

/** Whether a tree holds only plain objects, arrays and scalars (what a snapshot may hold). */
function isPlainTree(value: unknown): boolean {
  if (value === null || typeof value !== 'object')
    return typeof value !== 'function' && typeof value !== 'bigint';
  if (Array.isArray(value)) return value.every(isPlainTree);
  return (
    isPlainObject(value) &&
    Object.getPrototypeOf(value) === Object.prototype &&
    Object.values(value).every(isPlainTree)
  );
}

const TAGGED = [
  'logo: !!binary |',
  '  R0lGODlhDAAMAIQAAP//9/X',
  'hosts: !!set { a.example, b.example }',
  'steps: !!omap [ {build: 1}, {test: 2} ]',
  'since: !!timestamp 2001-12-14t21:59:43.10-05:00',
  'nested: [1, null, {tags: !!set {x}}]',
  '',
].join('\n');

describe('YAML 1.1 tags become plain data', () => {
  it('!!binary → base64, !!set → array, !!omap → object, !!timestamp → ISO string', () => {
    const { data } = parseDocument(TAGGED, 'yaml', context);
    expect(data).toEqual({
      logo: Buffer.from('R0lGODlhDAAMAIQAAP//9/X', 'base64').toString('base64'),
      hosts: ['a.example', 'b.example'],
      steps: { build: 1, test: 2 },
      since: '2001-12-15T02:59:43.100Z',
      nested: [1, null, { tags: ['x'] }],
    });
    expect(isPlainTree(data)).toBe(true);
  });

  it('an !!omap key __proto__ stays an own data key, never the prototype', () => {
    const { data } = parseDocument('m: !!omap [ {__proto__: {polluted: 1}} ]\n', 'yaml', context);
    const m = data.m as Record<string, unknown>;
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(Object.hasOwn(m, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a malformed !!timestamp is a PARSE error with file, line and column', () => {
    const error = thrownBy(() => parseDocument('a: 1\nwhen: !!timestamp soon\n', 'yaml', context));
    expect(error).toMatchObject({ code: 'PARSE', file: 'app.yaml', line: 2 });
    expect(error.message).toMatch(/^app\.yaml:2:\d+: .*timestamp/);
  });

  it('TOML dates become strings in their written form (no TomlDate objects)', () => {
    const text =
      'day = 1979-05-27\nat = 1979-05-27T07:32:00Z\nlocal = 1979-05-27T07:32:00\ntime = 07:32:00\n[t]\nx = 1\n';
    const { data } = parseDocument(text, 'toml', { ...context, file: 'app.toml' });
    expect(data).toEqual({
      day: '1979-05-27',
      at: '1979-05-27T07:32:00.000Z',
      local: '1979-05-27T07:32:00.000',
      time: '07:32:00.000',
      t: { x: 1 },
    });
    expect(isPlainTree(data)).toBe(true);
  });
});

describe('toPlainData', () => {
  const reject = (path: readonly string[], reason: string): never => {
    throw new Error(`${path.join('.')}: ${reason}`);
  };

  it('rejects class instances, bigints and invalid dates, naming the path', () => {
    class Secretish {}
    expect(() => toPlainData({ a: { b: new Secretish() } }, reject)).toThrow('a.b: a Secretish object');
    expect(() => toPlainData({ list: [1, 2n] }, reject)).toThrow('list.1: a bigint');
    expect(() => toPlainData({ when: new Date(Number.NaN) }, reject)).toThrow('when: an invalid date');
    expect(() => toPlainData({ f: () => 1 }, reject)).toThrow('f: a function');
  });

  it('a PARSE error for a non-plain value names the file, line and path', () => {
    // No YAML tag yields a class instance by itself, so the error the parsers throw is built directly.
    const doc = parseDocument('a:\n  b: 1\n', 'yaml', context);
    const error = nonPlainError(context, doc.origins, ['a', 'b'], 'a Foo object cannot be a config value');
    expect(error).toMatchObject({ code: 'PARSE', file: 'app.yaml', line: 2, column: 3, path: 'a.b' });
    expect(error.message).toBe('app.yaml:2:3: a.b: a Foo object cannot be a config value');
  });

  it('leaves plain JSON-like trees equal (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = structuredClone(value);
        expect(toPlainData(copy, reject)).toEqual(value);
      }),
    );
  });

  it('any mix of Map, Set, Date and bytes becomes a plain tree (property)', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.date({ noInvalidDate: true }),
      fc.uint8Array({ maxLength: 8 }),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        tie('array'),
        tie('object'),
        tie('set'),
        tie('map'),
      ),
      array: fc.array(tie('node'), { maxLength: 4 }),
      object: fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      set: fc.array(tie('node'), { maxLength: 4 }).map((items) => new Set(items)),
      map: fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }).map((o) => new Map(Object.entries(o))),
    }));
    fc.assert(
      fc.property(tree.object, (value) => {
        expect(isPlainTree(toPlainData(value, reject))).toBe(true);
      }),
    );
  });
});

describe('a loaded YAML file with tagged values', () => {
  it('has a deep-frozen plain snapshot, and an edit inside a !!set is published', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.yaml', TAGGED);
    const config = await loadConfig({ sources: [file(path)] });
    try {
      expect(isPlainTree(config.value)).toBe(true);
      expect(Object.isFrozen(config.get('hosts'))).toBe(true);
      expect(config.get('since')).toBe('2001-12-15T02:59:43.100Z');
      const next = firstValueFrom(
        config.watch('hosts', { emitCurrent: false }).pipe(
          filter((hosts) => Array.isArray(hosts) && hosts.includes('c.example')),
          timeout(10_000),
        ),
      );
      await writeFile(path, TAGGED.replace('b.example', 'c.example'));
      expect(await next).toEqual(['a.example', 'c.example']);
    } finally {
      await config.close();
    }
  });
});
