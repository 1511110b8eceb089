// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} references are part of the documents
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { file, loadConfig } from '../../src/index.js';
import { StaticOriginMap } from '../../src/reader/provenance.js';
import { cutIntoPieces, PieceAssembler } from '../../src/sources/file/parse-pieces.js';
import { ParseWorker } from '../../src/sources/file/worker.js';
import { rejectionOf, thrownBy, useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

describe('file size limit (maxBytes)', () => {
  it('a file over the limit fails the load with SOURCE_READ naming the file and the limit', async () => {
    const dir = await tempDir();
    const path = await dir.write('big.json', JSON.stringify({ data: 'x'.repeat(2000) }));
    const error = await rejectionOf(loadConfig({ sources: [file(path, { maxBytes: 1024 })], watch: false }));
    expect(error).toMatchObject({ code: 'SOURCE_READ', file: path, source: `file:${path}` });
    expect(error.message).toContain(path);
    expect(error.message).toContain('over the limit of 1 KiB (1024 bytes)');
  });

  it('the default limit is 16 MiB, and the bounded read refuses a bigger file too', async () => {
    const dir = await tempDir();
    const path = await dir.write('huge.json', `{"a":"${'x'.repeat(16 * 2 ** 20)}"}`);
    const error = await rejectionOf(loadConfig({ sources: [file(path)], watch: false }));
    expect(error).toMatchObject({ code: 'SOURCE_READ', file: path });
    expect(error.message).toContain('over the limit of 16 MiB (16777216 bytes)');
    const raised = await loadConfig({ sources: [file(path, { maxBytes: 17 * 2 ** 20 })], watch: false });
    expect((raised.get('a') as string).length).toBe(16 * 2 ** 20);
    await raised.close();
  });

  it('an edit over the limit is reported on errors$ and the last good config stays', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.json', '{"a": 1}');
    const config = await loadConfig({ sources: [file(path, { maxBytes: 100 })] });
    try {
      const reported = firstValueFrom(config.errors$.pipe(timeout(10_000)));
      await writeFile(path, JSON.stringify({ a: 2, pad: 'x'.repeat(200) }));
      const error = await reported;
      expect(error).toMatchObject({ code: 'SOURCE_READ', file: path });
      expect(error.message).toContain('over the limit of 100 bytes');
      expect(config.get('a')).toBe(1);
      const next = firstValueFrom(
        config.watch('a').pipe(
          filter((a) => a === 3),
          timeout(10_000),
        ),
      );
      await writeFile(path, '{"a": 3}');
      expect(await next).toBe(3);
    } finally {
      await config.close();
    }
  });

  it('rejects a limit that is not a positive number', () => {
    expect(thrownBy(() => file('a.json', { maxBytes: 0 }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(thrownBy(() => file('a.json', { workerThresholdBytes: Number.NaN }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

const DOCUMENTS: Array<[string, string]> = [
  [
    'app.yaml',
    'server:\n  port: 8080\n  host: "${LIVECFG_TEST_HOST:-db}"\nlist:\n  - a\n  - {b: 1}\n"__proto__": {x: 1}\nset: !!set {q}\n',
  ],
  ['app.json', '{\n  "server": {"port": 8080, "host": "${LIVECFG_TEST_HOST}"},\n  "list": [1, -0, 2.5]\n}'],
  ['app.toml', 'title = "t"\nwhen = 1979-05-27\n[server]\nport = 8080\n[[items]]\nname = "a"\n'],
  ['app.env', 'SERVER__PORT=8080\nNAME=${LIVECFG_TEST_HOST}\n'],
];

describe('parsing in a worker thread', () => {
  it.each(DOCUMENTS)('%s: same data and origins as on the main thread', async (name, text) => {
    const dir = await tempDir();
    const path = await dir.write(name, text);
    const environ = () => ({ LIVECFG_TEST_HOST: 'h' });
    const onMain = file(path, { environ, workerThresholdBytes: Number.POSITIVE_INFINITY });
    const inWorker = file(path, { environ, workerThresholdBytes: 1 });
    try {
      const expected = await onMain.read();
      const actual = await inWorker.read();
      expect(actual.data).toStrictEqual(expected.data);
      expect(Object.keys(actual.data)).toEqual(Object.keys(expected.data));
      const paths: string[][] = [];
      const walk = (node: unknown, path: string[]): void => {
        paths.push(path);
        if (node !== null && typeof node === 'object') {
          for (const key of Object.keys(node)) walk((node as Record<string, unknown>)[key], [...path, key]);
        }
      };
      walk(expected.data, []);
      for (const path of paths.slice(1)) {
        expect(actual.origins?.lookup(path), path.join('.')).toEqual(expected.origins?.lookup(path));
      }
    } finally {
      await inWorker.close?.();
    }
  });

  it('a syntax error from the worker is the same PARSE error, with file, line and column', async () => {
    const dir = await tempDir();
    const path = await dir.write('bad.yaml', 'a: 1\nb: [\n');
    const onMain = await rejectionOf(file(path, { workerThresholdBytes: Number.POSITIVE_INFINITY }).read());
    const source = file(path, { workerThresholdBytes: 1 });
    try {
      const inWorker = await rejectionOf(source.read());
      expect(inWorker).toMatchObject({ code: 'PARSE', file: path, line: onMain.line, column: onMain.column });
      expect(inWorker.message).toBe(onMain.message);
    } finally {
      await source.close?.();
    }
  });

  it('an aborted parse rejects with TIMEOUT and the worker is replaced for the next one', async () => {
    const worker = new ParseWorker();
    const context = { source: 'file:big.yaml', file: 'big.yaml', originBase: { file: 'big.yaml' } };
    const text = Array.from({ length: 20_000 }, (_, index) => `key${index}: ${index}`).join('\n');
    try {
      const controller = new AbortController();
      const parsing = worker.parse(text, 'yaml', context, { interpolate: false, signal: controller.signal });
      controller.abort();
      expect(await rejectionOf(parsing)).toMatchObject({ code: 'TIMEOUT', file: 'big.yaml' });
      const next = await worker.parse('a: 1\n', 'yaml', context, { interpolate: false });
      expect(next.data).toEqual({ a: 1 });
      await worker.close();
      expect(
        await rejectionOf(worker.parse('a: 1\n', 'yaml', context, { interpolate: false })),
      ).toMatchObject({
        code: 'CLOSED',
      });
    } finally {
      await worker.close();
    }
  });

  it('a process loading a big file in the worker exits by itself without close()', async () => {
    const dir = await tempDir();
    const lines = Array.from({ length: 5000 }, (_, index) => `key${index}: "${'v'.repeat(60)}"`);
    const path = await dir.write('big.yaml', `${lines.join('\n')}\n`);
    const child = fileURLToPath(new URL('./fixtures/worker-exit-child.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child, path], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(stdout)).toEqual({ last: 'v'.repeat(60), line: 5000 });
  }, 90_000);
});

describe('pieces (worker → main thread)', () => {
  it('cutting a tree into pieces and assembling them gives the same tree and origins (property)', () => {
    const tree = fc.dictionary(
      fc.string({ maxLength: 4 }),
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.array(fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 5 }), { maxLength: 8 }),
      ),
      { maxKeys: 12 },
    );
    fc.assert(
      fc.property(tree, fc.integer({ min: 1, max: 20 }), (data, budget) => {
        const origins = new StaticOriginMap();
        let line = 1;
        const walk = (node: unknown, path: string[]): void => {
          origins.set(path, { file: 'f', line: line++, column: path.length + 1 });
          if (node !== null && typeof node === 'object') {
            for (const key of Object.keys(node)) walk((node as Record<string, unknown>)[key], [...path, key]);
          }
        };
        walk(data, []);
        const pieces = cutIntoPieces(data as Record<string, unknown>, origins, budget);
        const assembler = new PieceAssembler({ file: 'f' });
        for (const piece of structuredClone(pieces)) assembler.add(piece);
        expect(assembler.root).toEqual(data);
        expect(JSON.stringify(assembler.root)).toBe(JSON.stringify(data));
        const check = (node: unknown, path: string[]): void => {
          expect(assembler.origins.lookup(path)).toEqual(origins.lookup(path));
          if (node !== null && typeof node === 'object') {
            for (const key of Object.keys(node))
              check((node as Record<string, unknown>)[key], [...path, key]);
          }
        };
        check(data, []);
      }),
    );
  });
});
