import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { file, loadConfig } from '../../src/index.js';
import { xml } from '../../src/parsers/index.js';
import { parseWithParser } from '../../src/reader/formats/index.js';
import { rejectionOf, useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const context = { source: 'file:app.xml', file: 'app.xml', originBase: { file: 'app.xml' } };
const parse = (text: string, parser = xml()) => parseWithParser(text, parser, context);

const TEXT = `<?xml version="1.0" encoding="UTF-8"?>
<!-- service settings -->
<config version="2">
  <server port="8080">
    <host>example.org</host>
  </server>
  <hosts><host>a</host><host>b</host></hosts>
  <single><item>x</item></single>
  <empty/>
  <note lang="en">hello &amp; welcome</note>
  <raw><![CDATA[<not-a-tag>]]></raw>
</config>
`;

describe('xml()', () => {
  it('maps the root element to the document: text → strings, attributes → keys, repeats → arrays', async () => {
    const doc = await parse(TEXT);
    expect(doc.data).toEqual({
      version: '2',
      server: { port: '8080', host: 'example.org' },
      hosts: { host: ['a', 'b'] },
      single: { item: 'x' },
      empty: '',
      note: { lang: 'en', '#text': 'hello & welcome' },
      raw: '<not-a-tag>',
    });
  });

  it('`arrays` keeps a one-element list an array', async () => {
    const doc = await parse(TEXT, xml({ arrays: ['single.item'] }));
    expect(doc.data.single).toEqual({ item: ['x'] });
  });

  it('origins give each element its line and column; attributes their element', async () => {
    const doc = await parse(TEXT);
    expect(doc.origins.lookup(['server', 'host'])).toEqual({ file: 'app.xml', line: 5, column: 5 });
    expect(doc.origins.lookup(['hosts', 'host', '1'])).toEqual({ file: 'app.xml', line: 7, column: 24 });
    expect(doc.origins.lookup(['server', 'port'])).toEqual({ file: 'app.xml', line: 4, column: 3 });
  });

  it('a syntax error is a PARSE error naming file, line and column', async () => {
    const error = await rejectionOf(parse('<config>\n  <a>1</b>\n</config>'));
    expect(error).toMatchObject({ code: 'PARSE', file: 'app.xml', line: 2 });
    expect(error.message).toMatch(/^app\.xml:2:\d+: .*'a'/);
  });

  it('an empty document or an empty root is an empty layer; a text root is a PARSE error', async () => {
    expect((await parse('')).data).toEqual({});
    expect((await parse('<config/>')).data).toEqual({});
    expect(await rejectionOf(parse('<config>text</config>'))).toMatchObject({
      code: 'PARSE',
      file: 'app.xml',
    });
  });

  it('loads with a schema coercing its strings, with explain() origins', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.xml', TEXT);
    const Schema = z.object({ server: z.object({ port: z.number(), host: z.string() }) }).loose();
    const config = await loadConfig({
      schema: Schema,
      sources: [file(path, { parser: xml() })],
      watch: false,
    });
    try {
      expect(config.get('server.port')).toBe(8080);
      expect(config.explain('server.host').origin).toEqual({ file: path, line: 5, column: 5 });
    } finally {
      await config.close();
    }
  });
});
