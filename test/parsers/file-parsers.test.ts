import { describe, expect, it } from 'vitest';
import { ConfigError, file, loadConfig } from '../../src/index.js';
import { json5, type Parser, xml, yaml } from '../../src/parsers/index.js';
import { optionalModule } from '../../src/parsers/optional-module.js';
import { rejectionOf, thrownBy, useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/** A tiny `key=value` per line parser, written as a user would. */
const properties: Parser = {
  name: 'properties',
  extensions: ['.properties'],
  parse(text) {
    const data: Record<string, string> = {};
    const lines = new Map<string, number>();
    text.split('\n').forEach((line, index) => {
      const match = /^([\w.]+)=(.*)$/.exec(line.trim());
      if (!match?.[1]) return;
      data[match[1]] = match[2] ?? '';
      lines.set(match[1], index + 1);
    });
    return { data, origins: { lookup: (path) => ({ line: lines.get(path[0] ?? '') ?? 1, column: 1 }) } };
  },
};

describe('file() with parsers', () => {
  it('`parser` reads the file with that parser, origins carrying the file', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.conf', 'a=1\nb=two\n');
    const source = file(path, { parser: properties });
    const changeSet = await source.read();
    expect(changeSet.data).toEqual({ a: '1', b: 'two' });
    expect(changeSet.origins?.lookup(['b'])).toEqual({ file: path, line: 2, column: 1 });
  });

  it('attach({ parsers }) maps by extension; a named parser or format wins over it', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.properties', 'a=1\n');
    const mapped = file(path);
    mapped.attach?.({ parsers: [json5(), properties] });
    expect((await mapped.read()).data).toEqual({ a: '1' });

    const unmapped = file(path);
    unmapped.attach?.({ parsers: [json5()] });
    expect(await rejectionOf(unmapped.read())).toMatchObject({ code: 'PARSE', file: path });

    const json = await dir.write('x.properties', '{"a": 2}');
    const named = file(json, { format: 'json' });
    named.attach?.({ parsers: [properties] });
    expect((await named.read()).data).toEqual({ a: 2 });
  });

  it('built-in parser objects behave exactly as their format name', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.txt', 'server:\n  port: 8080\n');
    const byParser = await file(path, { parser: yaml() }).read();
    const byFormat = await file(path, { format: 'yaml' }).read();
    expect(byParser.data).toEqual(byFormat.data);
    expect(byParser.origins?.lookup(['server', 'port'])).toEqual(
      byFormat.origins?.lookup(['server', 'port']),
    );
    expect(byFormat.origins?.lookup(['server', 'port'])).toEqual({ file: path, line: 2, column: 3 });
  });

  it('giving both format and parser is an INVALID_ARGUMENT error', () => {
    expect(thrownBy(() => file('a.yaml', { format: 'yaml', parser: properties }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });

  it("a parser's own error is a ConfigError naming the file; non-plain values are rejected by path", async () => {
    const dir = await tempDir();
    const path = await dir.write('app.conf', 'x');
    const throwing: Parser = {
      name: 'broken',
      parse() {
        throw new TypeError('bad input');
      },
    };
    const error = await rejectionOf(file(path, { parser: throwing }).read());
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'PARSE', file: path });
    expect(error.message).toBe(`${path}: broken: bad input`);

    const dated: Parser = {
      name: 'dated',
      parse: async () => ({ data: { at: new Date(0), re: { x: /x/ } } }),
    };
    const rejected = await rejectionOf(file(path, { parser: dated }).read());
    expect(rejected).toMatchObject({ code: 'PARSE', file: path, path: 're.x' });
    expect(rejected.message).toContain('re.x: a RegExp object cannot be a config value');
  });

  it('a parser whose optional package is missing says which package to install', async () => {
    const load = optionalModule(
      'livecfg-no-such-package',
      'demo',
      () => import('livecfg-no-such-package' as string),
    );
    const error = await rejectionOf(load());
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(error.message).toBe(
      'the demo() parser needs the optional package "livecfg-no-such-package", which is not installed: run `npm install livecfg-no-such-package`',
    );
  });

  it('a reload through a custom parser publishes, and a broken edit keeps the last good config', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.xml', '<c><a>1</a></c>');
    const config = await loadConfig({ sources: [file(path, { parser: xml() })] });
    try {
      const { filter, firstValueFrom, timeout } = await import('rxjs');
      const broken = firstValueFrom(config.errors$.pipe(timeout(10_000)));
      await dir.write('app.xml', '<c><a>2</a>');
      expect(await broken).toMatchObject({ code: 'PARSE', file: path });
      expect(config.get('a')).toBe('1');
      const next = firstValueFrom(
        config.watch('a').pipe(
          filter((a) => a === '3'),
          timeout(10_000),
        ),
      );
      await dir.write('app.xml', '<c><a>3</a></c>');
      expect(await next).toBe('3');
    } finally {
      await config.close();
    }
  });
});
