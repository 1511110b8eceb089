import { describe, expect, it } from 'vitest';
import { file, loadConfig } from '../../src/index.js';
import { properties } from '../../src/parsers/index.js';
import { parseWithParser } from '../../src/reader/formats/index.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const context = {
  source: 'file:app.properties',
  file: 'app.properties',
  originBase: { file: 'app.properties' },
};

const TEXT = `# service settings
! also a comment
server.host = example.org
server.port: 8080
message = Welcome to \\
          the service
key\\ with\\ spaces = spaced
db = primary
db.pool = 5
`;

describe('properties()', () => {
  it('nests dotted keys, joins continued lines, unescapes keys; values are strings', async () => {
    const doc = await parseWithParser(TEXT, properties(), context);
    expect(doc.data).toEqual({
      server: { host: 'example.org', port: '8080' },
      message: 'Welcome to the service',
      'key with spaces': 'spaced',
      db: { '': 'primary', pool: '5' },
    });
  });

  it("gives each key's line and column", async () => {
    const doc = await parseWithParser(TEXT, properties(), context);
    expect(doc.origins.lookup(['server', 'port'])).toEqual({ file: 'app.properties', line: 4, column: 1 });
    expect(doc.origins.lookup(['message'])).toEqual({ file: 'app.properties', line: 5, column: 1 });
    expect(doc.origins.lookup(['db', ''])).toEqual({ file: 'app.properties', line: 8, column: 1 });
    expect(doc.origins.lookup(['db', 'pool'])).toEqual({ file: 'app.properties', line: 9, column: 1 });
  });

  it('reads a file mapped by extension through loadConfig({ parsers })', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.properties', 'server.port = 9090\n');
    const config = await loadConfig({ sources: [file(path)], parsers: [properties()], watch: false });
    expect(config.value).toEqual({ server: { port: '9090' } });
    expect(config.explain('server.port')?.origin).toEqual({ file: path, line: 1, column: 1 });
    await config.close();
  });
});
