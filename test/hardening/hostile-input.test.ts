import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, file, flags, loadConfig, memory } from '../../src/index.js';
import { json5, xml } from '../../src/parsers/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'livecfg-hostile-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The parsers of livecfg/parsers, by extension (the built-in formats need none). */
const parsersFor = (path: string) =>
  path.endsWith('.json5') ? { parser: json5() } : path.endsWith('.xml') ? { parser: xml() } : {};

async function loadError(path: string): Promise<ConfigError> {
  const error = await loadConfig({ sources: [file(path, parsersFor(path))], watch: false }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('hostile input', () => {
  it('rejects a YAML alias bomb ("billion laughs") with a clear PARSE error within 100 ms', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const path = write('bomb.yaml', `${lines.join('\n')}\n`);
    // yaml's alias budget stops the expansion (the figure is in bench/, not asserted here).
    const error = await loadError(path);
    expect(error.code).toBe('PARSE');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/alias/i);
  });

  it.each([
    ['json', () => `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['yaml', () => `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['toml', () => `${'a = {b = '.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['json5', () => `${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['xml', () => `${'<a>'.repeat(10_000)}1${'</a>'.repeat(10_000)}`],
  ])('10,000-level nesting in %s is a clear PARSE error, not a stack overflow', async (format, content) => {
    const path = write(`deep.${format}`, content());
    const error = await loadError(path);
    expect(error.code).toBe('PARSE');
    expect(error.message).toContain(path);
  });

  it('loads a 10 MB JSON file', async () => {
    const value = 'x'.repeat(200);
    const count = Math.ceil((10 * 2 ** 20) / 212);
    const body = Array.from({ length: count }, (_, index) => `"key${index}":"${value}"`).join(',');
    const path = write('big.json', `{${body}}`);
    const config = await loadConfig({ sources: [file(path)], watch: false });
    expect(config.get(`key${count - 1}`)).toBe(value);
    await config.close();
  });

  it.each([
    ['json5', (key: string, value: string) => `${key}: '${value}'`, (body: string) => `{${body}}`],
    ['xml', (key: string, value: string) => `<${key}>${value}</${key}>`, (body: string) => `<c>${body}</c>`],
  ])(
    'loads a 10 MB %s file',
    async (extension, entry, wrap) => {
      const value = 'x'.repeat(200);
      const count = Math.ceil((10 * 2 ** 20) / 220);
      const body = Array.from({ length: count }, (_, index) => entry(`key${index}`, value)).join(',');
      const path = write(`big.${extension}`, wrap(extension === 'xml' ? body.replaceAll(',', '') : body));
      const config = await loadConfig({ sources: [file(path, parsersFor(path))], watch: false });
      expect(config.get(`key${count - 1}`)).toBe(value);
      expect(config.explain(`key${count - 1}`).origin).toMatchObject({ file: path, line: 1 });
      await config.close();
      // json5 parses ~1-3 MB/s and fast-xml-parser ~5 MB/s here: slow, but bounded.
    },
    90_000,
  );

  it('an XML entity bomb ("billion laughs") never expands: bounded time and memory', async () => {
    const entities = ['<!ENTITY l0 "lol">'];
    for (let level = 1; level < 10; level++) {
      entities.push(`<!ENTITY l${level} "${`&l${level - 1};`.repeat(10)}">`);
    }
    const path = write(
      'bomb.xml',
      `<?xml version="1.0"?><!DOCTYPE c [${entities.join('')}]><c><a>&l9;</a></c>`,
    );
    const outcome = await loadConfig({ sources: [file(path, parsersFor(path))], watch: false }).catch(
      (e: unknown) => e,
    );
    if (outcome instanceof ConfigError) {
      expect(outcome.code).toBe('PARSE');
      expect(outcome.message).toContain(path);
    } else {
      const config = outcome as Awaited<ReturnType<typeof loadConfig>>;
      expect(String(config.get('a')).length).toBeLessThan(100_000);
      await config.close();
    }
  });

  it('__proto__ in json5 is reported and dropped; in xml it is a PARSE error; nothing is polluted', async () => {
    const { filter, firstValueFrom, timeout } = await import('rxjs');
    const json5Path = write('proto.json5', '{ok: 0}');
    const config = await loadConfig({ sources: [file(json5Path, parsersFor(json5Path))] });
    try {
      // An edit (not the startup read), so that the report reaches errors$ whatever startup does with it.
      const reported = firstValueFrom(
        config.errors$.pipe(
          filter((error) => error.code === 'UNSAFE_KEY'),
          timeout(10_000),
        ),
      );
      const updated = firstValueFrom(
        config.watch('ok').pipe(
          filter((ok) => ok === 1),
          timeout(10_000),
        ),
      );
      write('proto.json5', "{__proto__: {polluted: 1}, a: {'__proto__': {polluted: 1}}, ok: 1}");
      expect((await reported).source).toBe(`file:${json5Path}`);
      await updated;
      expect(Object.hasOwn(config.value, '__proto__')).toBe(false);
      expect(Object.hasOwn(config.get('a') as object, '__proto__')).toBe(false);
    } finally {
      await config.close();
    }
    const xmlPath = write('proto.xml', '<c><__proto__><polluted>1</polluted></__proto__></c>');
    const error = await loadError(xmlPath);
    expect(error.code).toBe('PARSE');
    expect(error.message).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('handles a UTF-8 BOM in json, yaml, toml and .env', async () => {
    const bom = '\uFEFF';
    const paths = [
      write('bom.json', `${bom}{"name":"json"}`),
      write('bom.yaml', `${bom}name: yaml\n`),
      write('bom.toml', `${bom}name = "toml"\n`),
      write('bom.env', `${bom}name=env\n`),
      write('bom.json5', `${bom}{name: 'json5'}`),
      write('bom.xml', `${bom}<c><name>xml</name></c>`),
    ];
    for (const path of paths) {
      const config = await loadConfig({ sources: [file(path, parsersFor(path))], watch: false });
      expect(Object.keys(config.value)).toEqual(['name']);
      await config.close();
    }
  });

  it('invalid UTF-8 bytes become U+FFFD in values and never crash', async () => {
    const path = write(
      'bad-utf8.yaml',
      Buffer.concat([Buffer.from('name: "a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"\n')]),
    );
    const config = await loadConfig({ sources: [file(path)], watch: false });
    expect(config.get('name')).toBe('a\uFFFD\uFFFDb');
    await config.close();
  });

  it('keeps -0 and rejects unsafe integers with the value in the message', async () => {
    const Schema = z.object({ negativeZero: z.number(), count: z.number().int() });
    const environ = () => ({ APP_NEGATIVE_ZERO: '-0', APP_COUNT: '9007199254740993' });
    const error = (await loadConfig({
      schema: Schema,
      sources: [env({ prefix: 'APP_', environ })],
      watch: false,
    }).catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe('VALIDATION');
    expect(error.path).toBe('count');
    expect(error.message).toContain('APP_COUNT');
    const ok = await loadConfig({
      schema: Schema,
      sources: [env({ prefix: 'APP_', environ: () => ({ APP_NEGATIVE_ZERO: '-0', APP_COUNT: '42' }) })],
      watch: false,
    });
    expect(Object.is(ok.get('negativeZero'), -0)).toBe(true);
    expect(ok.get('count')).toBe(42);
    await ok.close();
  });
});

describe('hostile input: non-finite numbers', () => {
  it('"NaN" and "1e400" given to a number field are VALIDATION errors naming the variable', async () => {
    const Schema = z.object({ limit: z.number() });
    for (const raw of ['NaN', '1e400', 'abc']) {
      const error = (await loadConfig({
        schema: Schema,
        sources: [env({ prefix: 'APP_', environ: () => ({ APP_LIMIT: raw }) })],
        watch: false,
      }).catch((e: unknown) => e)) as ConfigError;
      expect(error.code, raw).toBe('VALIDATION');
      expect(error.message).toContain('APP_LIMIT');
      expect(error.path).toBe('limit');
      if (raw === '1e400') expect(error.message).toContain('got Infinity');
    }
  });

  it('unsafe keys in flags and memory never reach Object.prototype', async () => {
    const config = await loadConfig({
      sources: [
        flags(['--__proto__.polluted=1', '--constructor.prototype.polluted=1']),
        memory(JSON.parse('{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":1}}}')),
      ],
      watch: false,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(config.value, '__proto__')).toBe(false);
    await config.close();
  });
});

describe('hostile input: reporting', () => {
  it('names each ignored __proto__ key on errors$ with code UNSAFE_KEY, at startup and on reload', async () => {
    const layer = memory(JSON.parse('{"a":{"__proto__":{"x":1}},"ok":1}'), { name: 'ops' });
    const config = await loadConfig({ sources: [layer] });
    try {
      const atStartup = await firstValueFrom(config.errors$.pipe(take(1), timeout(5000)));
      expect(atStartup.code).toBe('UNSAFE_KEY');
      expect(atStartup.source).toBe('ops');
      expect(atStartup.path).toBe('a.__proto__');
      const onReload = firstValueFrom(config.errors$.pipe(take(1), toArray(), timeout(5000)));
      layer.update(JSON.parse('{"b":{"c":{"__proto__":{"y":1}}},"ok":2}'));
      expect((await onReload)[0]?.path).toBe('b.c.__proto__');
      expect(config.get('ok')).toBe(2);
    } finally {
      await config.close();
    }
  });
});
