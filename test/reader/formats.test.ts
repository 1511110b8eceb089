import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Format } from '../../src/reader/formats/index.js';
import { formatFromPath, parseDocument, prepareFormat } from '../../src/reader/formats/index.js';
import { locateJsonError } from '../../src/reader/formats/json-error.js';
import { thrownBy } from '../helpers/temp-dir.js';

const context = { source: 'file:config/app.x', file: 'config/app.x', originBase: { file: 'config/app.x' } };

beforeAll(async () => {
  await prepareFormat('yaml');
  await prepareFormat('toml');
});
const parse = (text: string, format: Format, options = {}) => parseDocument(text, format, context, options);

describe('formatFromPath', () => {
  it.each([
    ['a.json', 'json'],
    ['a.JSON', 'json'],
    ['a.yaml', 'yaml'],
    ['a.yml', 'yaml'],
    ['a.YML', 'yaml'],
    ['a.toml', 'toml'],
    ['a.env', 'env'],
    ['.env', 'env'],
    ['dir/.env.production', 'env'],
    ['a.conf', 'json'],
    ['config', 'json'],
    ['dir.yaml/config', 'json'],
  ])('%s → %s', (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });
});

describe('parseDocument', () => {
  it('keys with dots stay single keys, with origins', () => {
    const json = parse('{\n  "labels": {\n    "app.kubernetes.io/name": "x"\n  }\n}', 'json');
    expect(json.data).toEqual({ labels: { 'app.kubernetes.io/name': 'x' } });
    expect(json.origins.lookup(['labels', 'app.kubernetes.io/name'])).toEqual({
      file: 'config/app.x',
      line: 3,
      column: 5,
    });
    const yaml = parse('labels:\n  app.kubernetes.io/name: x\n', 'yaml');
    expect(yaml.origins.lookup(['labels', 'app.kubernetes.io/name'])).toMatchObject({ line: 2, column: 3 });
    const toml = parse('[labels]\n"app.kubernetes.io/name" = "x"\n', 'toml');
    expect(toml.data).toEqual({ labels: { 'app.kubernetes.io/name': 'x' } });
    expect(toml.origins.lookup(['labels', 'app.kubernetes.io/name'])).toMatchObject({ line: 2, column: 1 });
  });

  it('JSON origins survive escaped keys and strings with braces', () => {
    const doc = parse('{"a\\"b": "}{", "c": [ "]", {"d": 1} ]}', 'json');
    expect(doc.data).toEqual({ 'a"b': '}{', c: [']', { d: 1 }] });
    expect(doc.origins.lookup(['c', '1', 'd'])).toMatchObject({ line: 1, column: 29 });
  });

  it('a byte order mark counts as no column in any format', () => {
    expect(parse('\uFEFF{"a": 1}', 'json').origins.lookup(['a'])).toMatchObject({ line: 1, column: 2 });
    expect(parse('\uFEFFa: 1', 'yaml').origins.lookup(['a'])).toMatchObject({ line: 1, column: 1 });
    expect(parse('\uFEFFa = 1', 'toml').origins.lookup(['a'])).toMatchObject({ line: 1, column: 1 });
    expect(parse('\uFEFFA=1', 'env').origins.lookup(['A'])).toMatchObject({ line: 1, column: 1 });
  });

  it('.env: a stray line is a PARSE error naming file and line, not a variable folded into the next name', () => {
    // Node 20's util.parseEnv alone reads `junk\nB=2` as one variable named "junk\nB" and loses B.
    const error = thrownBy(() => parse('A=1\njunk\nB=2\n', 'env'));
    expect(error).toMatchObject({ code: 'PARSE', file: 'config/app.x', line: 2 });
    expect(String(error)).toContain('config/app.x:2:1');
    const doc = parse('A=1\n# note\n  # indented note\nexport B="two\nlines"\nSERVER__PORT=8080\n', 'env');
    expect(doc.data).toEqual({ A: '1', B: 'two\nlines', SERVER: { PORT: '8080' } });
    expect(doc.origins.lookup(['SERVER', 'PORT'])).toMatchObject({ line: 6, column: 1 });
  });

  it('an unknown path falls back to the nearest known ancestor', () => {
    const doc = parse('a:\n  b: 1\n', 'yaml');
    expect(doc.origins.lookup(['a', 'b', 'c'])).toMatchObject({ line: 2, column: 3 });
  });

  it('YAML anchors and aliases expand', () => {
    const doc = parse('base: &b\n  x: 1\nother: *b\n', 'yaml');
    expect(doc.data).toEqual({ base: { x: 1 }, other: { x: 1 } });
  });

  it('a YAML alias bomb is a PARSE error', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let index = 0; index < 8; index++) {
      const previous = String.fromCharCode(97 + index);
      const next = String.fromCharCode(98 + index);
      lines.push(`${next}: &${next} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    expect(thrownBy(() => parse(lines.join('\n'), 'yaml')).code).toBe('PARSE');
  });

  it('a YAML null document is empty', () => {
    expect(parse('# nothing\n', 'yaml').data).toEqual({});
    expect(parse('~\n', 'yaml').data).toEqual({});
  });

  it('JSON errors name file, line and column for every kind of mistake', () => {
    const cases: Array<[string, number, number]> = [
      ['{"a": 1,}', 1, 9],
      ['{"a" 1}', 1, 6],
      ['{\n  "a": [1, 2,\n}', 3, 1],
      ['{"a": "\u0001"}', 1, 8],
      ['{"a": "\\x"}', 1, 8],
      ['{"a": 01}', 1, 8],
      ['{"a": -}', 1, 7],
      ['{"a": undefined}', 1, 7],
      ["{'a': 1}", 1, 2],
      ['{"a": 1}}', 1, 9],
      ['{"a": "unterminated', 1, 7],
    ];
    for (const [text, line, column] of cases) {
      const error = thrownBy(() => parse(text, 'json'));
      expect(error, text).toMatchObject({ code: 'PARSE', file: 'config/app.x', line, column });
      expect(error.message, text).toContain(`config/app.x:${line}:${column}: `);
    }
  });

  it('errors without a file name the label, else the source', () => {
    const labelled = thrownBy(() =>
      parseDocument('{', 'json', { source: 'consul:x', label: 'config/app', originBase: {} }),
    );
    expect(labelled.message).toMatch(/^config\/app:1:2: /);
    const bare = thrownBy(() => parseDocument('[', 'yaml', { source: 'consul:x', originBase: {} }));
    expect(bare.message).toMatch(/^consul:x/);
  });

  it('a document nested deeper than the limit is a PARSE error, not a stack overflow', () => {
    const depth = 5000;
    const text = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(thrownBy(() => parse(text, 'json')).code).toBe('PARSE');
    const broken = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth - 1)}`;
    expect(thrownBy(() => parse(broken, 'json')).code).toBe('PARSE');
  });
});

describe('locateJsonError', () => {
  it('valid JSON has no error', () => {
    for (const text of [
      '{}',
      '[]',
      '1',
      '-0.5e+3',
      '"x"',
      ' {"a": [true, false, null, "\\u00e9"]} ',
      'null',
    ]) {
      expect(locateJsonError(text), text).toBeUndefined();
    }
  });

  it('an empty text ends unexpectedly', () => {
    expect(locateJsonError('')).toEqual({ offset: 0, reason: 'unexpected end of the document' });
  });

  // 300 runs each: random JSON values, printed, must be accepted; random mutations of them must be
  // rejected by locateJsonError exactly when JSON.parse rejects them.
  it('agrees with JSON.parse on valid documents (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 2 }), (value, indent) => {
        expect(locateJsonError(JSON.stringify(value, null, indent))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with JSON.parse on mutated documents (property)', () => {
    const mutation = fc.record({
      at: fc.nat(),
      remove: fc.integer({ min: 0, max: 2 }),
      insert: fc.constantFrom('', ',', '}', ']', '{', '[', '"', ':', 'x', ' ', '\\', '0', '-', '\n'),
    });
    fc.assert(
      fc.property(fc.json(), mutation, (text, { at, remove, insert }) => {
        const index = at % (text.length + 1);
        const mutated = text.slice(0, index) + insert + text.slice(index + remove);
        let valid = true;
        try {
          JSON.parse(mutated);
        } catch {
          valid = false;
        }
        const located = locateJsonError(mutated);
        expect(located === undefined, mutated).toBe(valid);
        if (located) expect(located.offset).toBeLessThanOrEqual(mutated.length);
      }),
      { numRuns: 300 },
    );
  });
});
