import fc from 'fast-check';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { file, loadConfig } from '../../src/index.js';
import { json5 } from '../../src/parsers/index.js';
import { parseWithParser } from '../../src/reader/formats/index.js';
import { rejectionOf, useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const context = { source: 'file:app.json5', file: 'app.json5', originBase: { file: 'app.json5' } };
const parse = (text: string) => parseWithParser(text, json5(), context);

const TEXT = `// service settings
{
  server: {
    host: 'example.org', /* single quotes */
    "port": 0x1F90,
  },
  'quoted key': [1, 2, {deep: Infinity},],
}
`;

describe('json5()', () => {
  it('parses JSON5 with line and column origins for keys and array items', async () => {
    const doc = await parse(TEXT);
    expect(doc.data).toEqual({
      server: { host: 'example.org', port: 8080 },
      'quoted key': [1, 2, { deep: Infinity }],
    });
    expect(doc.origins.lookup(['server', 'host'])).toEqual({ file: 'app.json5', line: 4, column: 5 });
    expect(doc.origins.lookup(['server', 'port'])).toEqual({ file: 'app.json5', line: 5, column: 5 });
    expect(doc.origins.lookup(['quoted key', '2', 'deep'])).toEqual({
      file: 'app.json5',
      line: 7,
      column: 25,
    });
  });

  it('a syntax error is a PARSE error naming file, line and column', async () => {
    const error = await rejectionOf(parse('{\n  a: 1,\n  b: ,\n}'));
    expect(error).toMatchObject({ code: 'PARSE', file: 'app.json5', line: 3, column: 6 });
    expect(error.message).toMatch(/^app\.json5:3:6: invalid character ','/);
  });

  it('an array at the top level is a PARSE error', async () => {
    expect(await rejectionOf(parse('[1, 2]'))).toMatchObject({ code: 'PARSE', file: 'app.json5' });
  });

  it('every key of random documents gets the origin of its own line (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }),
          fc.dictionary(fc.string({ maxLength: 6 }), fc.integer()),
        ),
        async (tree) => {
          // One key per line, alternating quoting styles, with comments between.
          const lines = ['{'];
          const expected: Array<[string[], number]> = [];
          for (const [key, child] of Object.entries(tree)) {
            expected.push([[key], lines.length + 1]);
            lines.push(`  ${JSON.stringify(key)}: { // ${key.length}`);
            for (const [inner, value] of Object.entries(child)) {
              expected.push([[key, inner], lines.length + 1]);
              lines.push(
                `    '${inner
                  .replace(/\\/g, '\\\\')
                  .replace(/'/g, "\\'")
                  .replace(/\n/g, '\\n')
                  .replace(/\r/g, '\\r')
                  .replace(/\u2028/g, '\\u2028')
                  .replace(/\u2029/g, '\\u2029')}': ${value}, /* c */`,
              );
            }
            lines.push('  },');
          }
          lines.push('}');
          const text = lines.join('\n');
          const doc = await parse(text);
          expect(doc.data).toEqual(JSON5.parse(text));
          for (const [path, line] of expected) {
            expect(doc.origins.lookup(path), JSON.stringify(path)).toMatchObject({ line });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('loads through loadConfig({ parsers }) by extension, with explain() origins', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.json5', TEXT);
    const config = await loadConfig({ sources: [file(path, { parser: json5() })], watch: false });
    try {
      expect(config.get('server.port')).toBe(8080);
      expect(config.explain('server.host').origin).toEqual({ file: path, line: 4, column: 5 });
    } finally {
      await config.close();
    }
  });
});
