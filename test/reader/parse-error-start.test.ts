/**
 * A parse error points at the line where the broken construct starts when the parser knows it: an
 * unclosed quote or flow collection in YAML runs to the end of the document, and yaml 2 reports the
 * end; the error names the start (and still says where the parser gave up).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type ConfigError, isConfigError } from '../../src/index.js';
import { parseDocument, prepareFormat } from '../../src/reader/formats/index.js';

function parseErrorOf(text: string, format: 'yaml' | 'json'): ConfigError {
  try {
    parseDocument(text, format, {
      file: 'config/app.x',
      source: 'file:config/app.x',
      originBase: { file: 'config/app.x' },
    });
  } catch (error) {
    if (isConfigError(error)) return error;
    throw error;
  }
  throw new Error('parsed');
}

const lines = (n: number, from: number): string[] => Array.from({ length: n }, (_, i) => `k${from + i}: v`);

describe('parse errors point at the start of the broken construct', () => {
  // The YAML parser loads lazily (a literal import()); parseDocument is synchronous once it is.
  beforeAll(() => prepareFormat('yaml'));

  it('YAML: an unclosed double quote on line 16 of 55 lines is reported at 16, not at the end', () => {
    const text = `${[...lines(15, 1), 'broken: "oops', ...lines(38, 17)].join('\n')}\n`;
    const error = parseErrorOf(text, 'yaml');
    expect(error.code).toBe('PARSE');
    expect(error.line).toBe(16);
    expect(error.column).toBe(9);
    expect(error.message).toContain('config/app.x:16:9');
    expect(error.message).toContain('55:1'); // where the parser gave up
  });

  it('YAML: an unclosed flow sequence is reported where it opens', () => {
    const error = parseErrorOf('a: 1\nb: [1, 2\nc: 3\nd: 4\n', 'yaml');
    expect([error.line, error.column]).toEqual([2, 4]);
  });

  it('YAML: other errors keep the parser position (a duplicate key)', () => {
    const error = parseErrorOf('a: 1\nb: 2\na: 3\n', 'yaml');
    expect(error.line).toBe(3);
  });

  it('JSON: an unclosed quote on line 16 is reported on line 16', () => {
    const body = Array.from({ length: 53 }, (_, i) => (i === 14 ? '  "broken": "oops,' : `  "k${i}": 1,`));
    const text = `{\n${body.join('\n')}\n  "last": 1\n}\n`;
    expect(parseErrorOf(text, 'json').line).toBe(16);
  });
});
