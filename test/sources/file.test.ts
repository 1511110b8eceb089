// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} references are the subject of these tests
import { mkdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError, file, loadConfig } from '../../src/index.js';
import { rejectionOf, useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

async function load(path: string, options: Parameters<typeof file>[1] = {}) {
  return loadConfig({ sources: [file(path, options)], watch: false });
}

describe('file source: formats', () => {
  it('reads JSON by extension', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.json', '{"server": {"port": 8080, "tls": false}, "tags": ["a", "b"]}');
    const config = await load(path);
    expect(config.value).toEqual({ server: { port: 8080, tls: false }, tags: ['a', 'b'] });
  });

  it('reads YAML by extension (.yaml and .yml)', async () => {
    const dir = await tempDir();
    const yaml = await dir.write(
      'app.yaml',
      'server:\n  port: 8080\n  host: example.org\nlist:\n  - 1\n  - two\n',
    );
    const yml = await dir.write('other.yml', 'a: {b: true}\n');
    expect((await load(yaml)).value).toEqual({
      server: { port: 8080, host: 'example.org' },
      list: [1, 'two'],
    });
    expect((await load(yml)).value).toEqual({ a: { b: true } });
  });

  it('reads TOML by extension, dates as ISO strings', async () => {
    const dir = await tempDir();
    const path = await dir.write(
      'app.toml',
      'title = "t"\nwhen = 1979-05-27T07:32:00Z\n\n[server]\nport = 8080\n\n[[items]]\nname = "a"\n\n[[items]]\nname = "b"\n',
    );
    expect((await load(path)).value).toEqual({
      title: 't',
      when: '1979-05-27T07:32:00.000Z',
      server: { port: 8080 },
      items: [{ name: 'a' }, { name: 'b' }],
    });
  });

  it('reads .env files by extension, by the name ".env" and ".env.local"; values are strings, __ nests', async () => {
    const dir = await tempDir();
    const text = '# comment\nSERVER__PORT=8080\nexport NAME="quoted value"\nEMPTY=\n';
    const expected = { SERVER: { PORT: '8080' }, NAME: 'quoted value', EMPTY: '' };
    for (const name of ['app.env', '.env', '.env.local']) {
      const path = await dir.write(name, text);
      expect((await load(path)).value, name).toEqual(expected);
    }
  });

  it('uses `format` over the extension', async () => {
    const dir = await tempDir();
    const yaml = await dir.write('settings.txt', 'a: 1\nb: [x]\n');
    const toml = await dir.write('settings.conf', 'a = 1\n');
    const env = await dir.write('settings.json', 'A=1\n');
    const json = await dir.write('settings.yaml', '{"a": {"b": 2}}');
    expect((await load(yaml, { format: 'yaml' })).value).toEqual({ a: 1, b: ['x'] });
    expect((await load(toml, { format: 'toml' })).value).toEqual({ a: 1 });
    expect((await load(env, { format: 'env' })).value).toEqual({ A: '1' });
    expect((await load(json, { format: 'json' })).value).toEqual({ a: { b: 2 } });
  });

  it('reads an unknown extension or no extension as JSON', async () => {
    const dir = await tempDir();
    const conf = await dir.write('app.conf', '{"a": 1}');
    const bare = await dir.write('config', '{"b": [1]}');
    expect((await load(conf)).value).toEqual({ a: 1 });
    expect((await load(bare)).value).toEqual({ b: [1] });
    const yamlText = await dir.write('app.ini', 'a: 1\n');
    const error = await rejectionOf(load(yamlText));
    expect(error).toMatchObject({ code: 'PARSE', file: yamlText });
  });

  it('rejects an unknown `format` name', async () => {
    const dir = await tempDir();
    expect(() => file(dir.path('x'), { format: 'xml' as never })).toThrow(/unknown format "xml"/);
  });

  it('an empty file is an empty layer', async () => {
    const dir = await tempDir();
    for (const name of ['e.json', 'e.yaml', 'e.toml', 'e.env']) {
      expect((await load(await dir.write(name, ''))).value, name).toEqual({});
    }
  });
});

describe('file source: missing files', () => {
  it('an optional missing file is an empty layer', async () => {
    const dir = await tempDir();
    const config = await loadConfig({
      defaults: { a: 1 },
      sources: [file(dir.path('missing.yaml'), { optional: true })],
      watch: false,
    });
    expect(config.value).toEqual({ a: 1 });
  });

  it('a missing file in a missing directory is also just empty when optional', async () => {
    const dir = await tempDir();
    const config = await load(dir.path('nope/missing.json'), { optional: true });
    expect(config.value).toEqual({});
  });

  it('a required missing file rejects with NOT_FOUND naming the file', async () => {
    const dir = await tempDir();
    const path = dir.path('missing.yaml');
    const error = await rejectionOf(load(path));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', file: path, source: `file:${path}` });
    expect(error.message).toContain(path);
  });

  it('a directory instead of a file is a SOURCE_READ error naming it', async () => {
    const dir = await tempDir();
    const path = dir.path('adir.json');
    await mkdir(path);
    const error = await rejectionOf(load(path));
    expect(error).toMatchObject({ code: 'SOURCE_READ', file: path });
    expect(error.message).toContain(path);
  });
});

describe('file source: document rules', () => {
  it.each([
    ['array.json', '[1, 2]', 'an array'],
    ['scalar.json', '42', 'a number'],
    ['string.json', '"text"', 'a string'],
    ['array.yaml', '- a\n- b\n', 'an array'],
    ['scalar.yaml', 'just text\n', 'a string'],
  ])('a top-level %s is a PARSE error', async (name, text, kind) => {
    const dir = await tempDir();
    const path = await dir.write(name, text);
    const error = await rejectionOf(load(path));
    expect(error).toMatchObject({ code: 'PARSE', file: path });
    expect(error.message).toContain(path);
    expect(error.message).toContain(kind);
  });

  it.each([
    ['bom.json', '\uFEFF{\n  "a": 1,\n  "b": {"c": 2}\n}'],
    ['bom.yaml', '\uFEFFa: 1\nb:\n  c: 2\n'],
    ['bom.toml', '\uFEFFa = 1\n[b]\nc = 2\n'],
  ])('a byte order mark is ignored (%s), lines stay right', async (name, text) => {
    const dir = await tempDir();
    const path = await dir.write(name, text);
    const config = await load(path);
    expect(config.value).toEqual({ a: 1, b: { c: 2 } });
    expect(Object.keys(config.value)).toEqual(['a', 'b']);
    expect(config.explain('b.c').origin).toMatchObject({ file: path, line: 3 });
  });

  it('a byte order mark is ignored in .env files', async () => {
    const dir = await tempDir();
    const path = await dir.write('bom.env', '\uFEFFA=1\nB=2\n');
    const config = await load(path);
    expect(config.value).toEqual({ A: '1', B: '2' });
    expect(config.explain('A').origin).toEqual({ file: path, line: 1, column: 1 });
  });
});

describe('file source: ${NAME} interpolation', () => {
  const text = [
    'plain: ${LC_HOST}',
    'unset: ${LC_UNSET}',
    'fallback: ${LC_UNSET:-fb}',
    'emptyFallback: ${LC_EMPTY:-fb2}',
    'setFallback: ${LC_HOST:-ignored}',
    'mixed: "http://${LC_HOST}:${LC_PORT:-80}/x"',
    'emptyName: "${}"',
    'dollar: $LC_HOST',
    'dash: "${LC_HOST-}"',
    'braces: "{x}"',
    'nested:',
    '  list:',
    '    - ${LC_HOST}',
    '    - 5',
    'number: 5',
    '',
  ].join('\n');
  const environ = () => ({ LC_HOST: 'example.org', LC_EMPTY: '' });

  it('replaces ${NAME} and ${NAME:-fallback}; anything else stays literal', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.yaml', text);
    const config = await load(path, { environ });
    expect(config.value).toEqual({
      plain: 'example.org',
      unset: '',
      fallback: 'fb',
      emptyFallback: 'fb2',
      setFallback: 'example.org',
      mixed: 'http://example.org:80/x',
      emptyName: '${}',
      dollar: '$LC_HOST',
      dash: '${LC_HOST-}',
      braces: '{x}',
      nested: { list: ['example.org', 5] },
      number: 5,
    });
  });

  it('works in JSON, TOML and .env documents too', async () => {
    const dir = await tempDir();
    const json = await dir.write('a.json', '{"a": "${LC_HOST}", "b": {"c": "${LC_UNSET:-d}"}}');
    const toml = await dir.write('a.toml', 'a = "${LC_HOST}"\n[b]\nc = "${LC_UNSET:-d}"\n');
    const env = await dir.write('a.env', "A='${LC_HOST}'\nB__C='${LC_UNSET:-d}'\n");
    expect((await load(json, { environ })).value).toEqual({ a: 'example.org', b: { c: 'd' } });
    expect((await load(toml, { environ })).value).toEqual({ a: 'example.org', b: { c: 'd' } });
    expect((await load(env, { environ })).value).toEqual({ A: 'example.org', B: { C: 'd' } });
  });

  it('`interpolate: false` leaves every reference as written', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.yaml', text);
    const config = await load(path, { environ, interpolate: false });
    expect(config.get('plain')).toBe('${LC_HOST}');
    expect(config.get('fallback')).toBe('${LC_UNSET:-fb}');
    expect(config.get('mixed')).toBe('http://${LC_HOST}:${LC_PORT:-80}/x');
    expect(config.explain('plain').origin).not.toHaveProperty('vars');
  });

  it('explain() shows the variables a value came from, with the line', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.yaml', text);
    const config = await load(path, { environ });
    expect(config.explain('plain').origin).toEqual({ file: path, line: 1, column: 1, vars: ['LC_HOST'] });
    expect(config.explain('mixed').origin).toEqual({
      file: path,
      line: 6,
      column: 1,
      vars: ['LC_HOST', 'LC_PORT'],
    });
    expect(config.explain('nested.list.0').origin).toMatchObject({ line: 13, vars: ['LC_HOST'] });
    expect(config.explain('number').origin).toEqual({ file: path, line: 15, column: 1 });
    expect(config.explain('dollar').origin).not.toHaveProperty('vars');
  });

  it('uses process.env when no environ is given', async () => {
    const dir = await tempDir();
    const name = `LIVECFG_TEST_${process.pid}`;
    process.env[name] = 'from-process';
    try {
      const path = await dir.write('app.json', `{"a": "\${${name}}"}`);
      expect((await load(path)).get('a')).toBe('from-process');
    } finally {
      delete process.env[name];
    }
  });
});

describe('file source: explain origins (1-based lines and columns)', () => {
  it('YAML', async () => {
    const dir = await tempDir();
    const path = await dir.write(
      'app.yaml',
      '# header\nserver:\n  port: 8080\n  host: h\nlist:\n  - a\n  - b: 1\n',
    );
    const config = await load(path);
    expect(config.explain('server.port')).toEqual({
      path: 'server.port',
      value: 8080,
      source: `file:${path}`,
      origin: { file: path, line: 3, column: 3 },
      description: `${path}:3:3`,
      overridden: [],
    });
    expect(config.explain('server.host').origin).toEqual({ file: path, line: 4, column: 3 });
    expect(config.explain('server').origin).toEqual({ file: path, line: 2, column: 1 });
    expect(config.explain('list.0').origin).toEqual({ file: path, line: 6, column: 5 });
    expect(config.explain('list.1.b').origin).toEqual({ file: path, line: 7, column: 5 });
  });

  it('JSON', async () => {
    const dir = await tempDir();
    const path = await dir.write(
      'app.json',
      '{\n  "server": {\n    "port": 8080,\n    "host": "h"\n  },\n  "list": [1, {"b": 2}]\n}\n',
    );
    const config = await load(path);
    expect(config.explain('server.port').origin).toEqual({ file: path, line: 3, column: 5 });
    expect(config.explain('server.host').origin).toEqual({ file: path, line: 4, column: 5 });
    expect(config.explain('server').origin).toEqual({ file: path, line: 2, column: 3 });
    expect(config.explain('list.1.b').origin).toEqual({ file: path, line: 6, column: 16 });
  });

  it('TOML', async () => {
    const dir = await tempDir();
    const path = await dir.write(
      'app.toml',
      'title = "x"\n\n[server]\nport = 8080\n  host = "h"\n\n[[items]]\nname = "a"\n[[items]]\nname = "b"\n',
    );
    const config = await load(path);
    expect(config.explain('title').origin).toEqual({ file: path, line: 1, column: 1 });
    expect(config.explain('server.port').origin).toEqual({ file: path, line: 4, column: 1 });
    expect(config.explain('server.host').origin).toEqual({ file: path, line: 5, column: 3 });
    expect(config.explain('server').origin).toEqual({ file: path, line: 3, column: 1 });
    expect(config.explain('items.1.name').origin).toEqual({ file: path, line: 10, column: 1 });
  });

  it('.env', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.env', '# c\nA=1\n\nSERVER__PORT=2\n');
    const config = await load(path);
    expect(config.explain('A').origin).toEqual({ file: path, line: 2, column: 1 });
    expect(config.explain('SERVER.PORT').origin).toEqual({ file: path, line: 4, column: 1 });
  });
});

describe('file source: parse errors name the file, line and column', () => {
  async function parseErrorOf(name: string, text: string) {
    const dir = await tempDir();
    await mkdir(dir.path('config'));
    const path = await dir.write(`config/${name}`, text);
    const error = await rejectionOf(load(path));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('PARSE');
    expect(error.file).toBe(path);
    expect(error.source).toBe(`file:${path}`);
    return error;
  }

  it('YAML', async () => {
    const error = await parseErrorOf('app.yaml', 'server:\n  port: 8080\n  port: 9090\n');
    expect(error.message).toContain('app.yaml:3:3');
    expect(error).toMatchObject({ line: 3, column: 3 });
  });

  it('YAML: a reserved character', async () => {
    const error = await parseErrorOf('app.yaml', 'a: 1\nb: @x\n');
    expect(error.message).toContain('app.yaml:2:4');
    expect(error).toMatchObject({ line: 2, column: 4 });
  });

  it('JSON: a missing value', async () => {
    const error = await parseErrorOf('app.json', '{\n  "a": 1,\n  "b": ,\n  "c": 3\n}\n');
    expect(error.message).toContain('app.json:3:8');
    expect(error).toMatchObject({ line: 3, column: 8 });
  });

  it('JSON: a bad literal', async () => {
    const error = await parseErrorOf('app.json', '{\n  "a": tru\n}\n');
    expect(error).toMatchObject({ line: 2, column: 8 });
    expect(error.message).toContain('app.json:2:8');
  });

  it('JSON: a trailing comma', async () => {
    const error = await parseErrorOf('app.json', '{\n  "a": 1,\n}\n');
    expect(error).toMatchObject({ line: 3, column: 1 });
  });

  it('JSON: an unterminated document', async () => {
    const error = await parseErrorOf('app.json', '{\n  "a": {\n    "b": 1\n');
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/app\.json:4:\d+/);
  });

  it('JSON: text after the document', async () => {
    const error = await parseErrorOf('app.json', '{"a": 1}\n  x\n');
    expect(error).toMatchObject({ line: 2, column: 3 });
    expect(error.message).not.toMatch(/at position/);
  });

  it('JSON: a byte order mark does not count as a column', async () => {
    const error = await parseErrorOf('app.json', '\uFEFF{"a": 1,,}');
    expect(error).toMatchObject({ line: 1, column: 9 });
  });

  it('YAML and TOML: a byte order mark does not count as a column', async () => {
    expect(await parseErrorOf('app.yaml', '\uFEFFa: @x\n')).toMatchObject({ line: 1, column: 4 });
    expect(await parseErrorOf('app.toml', '\uFEFFa = ?\n')).toMatchObject({ line: 1, column: 5 });
  });

  it('TOML', async () => {
    const error = await parseErrorOf('app.toml', 'a = 1\n[server]\nport = \n');
    expect(error.message).toContain('app.toml:3:8');
    expect(error).toMatchObject({ line: 3, column: 8 });
  });

  it('TOML: a redefined key', async () => {
    const error = await parseErrorOf('app.toml', 'a = 1\na = 2\n');
    expect(error).toMatchObject({ line: 2, column: 1 });
  });
});
