/** The Node-native and operator-facing parts of the Config API: values(), signals, warnings, sources(), history(), addSource/removeSource. */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ChangeSet, file, loadConfig, memory, type Source } from '../../src/index.js';
import { rejectionOf, useTempDirs } from '../helpers/temp-dir.js';
import { next } from '../helpers/watch.js';

const tempDir = useTempDirs();

describe('values(): async iteration', () => {
  it('yields the current value, then each change, and ends when the config closes', async () => {
    const source = memory({ port: 1 });
    const config = await loadConfig({ sources: [source] });
    const seen: unknown[] = [];
    const done = (async () => {
      for await (const port of config.values('port')) {
        seen.push(port);
        if (port === 1) source.set('port', 2);
        if (port === 2) source.set('port', 3);
        if (port === 3) void config.close();
      }
    })();
    await done;
    expect(seen).toEqual([1, 2, 3]);
  });

  it('throws AbortError when its signal aborts, and stops listening', async () => {
    const config = await loadConfig({ defaults: { a: 1 }, watch: false });
    const controller = new AbortController();
    const seen: unknown[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const value of config.values('a', { signal: controller.signal })) {
          seen.push(value);
          controller.abort();
        }
      })(),
    );
    expect(error.name).toBe('AbortError');
    expect(seen).toEqual([1]);
    expect((config as unknown as { loader: { fanout: { size: number } } }).loader.fanout.size).toBe(0);
    await config.close();
  });

  it('emitCurrent: false skips the current value', async () => {
    const config = await loadConfig({ watch: false });
    const iterator = config.values('a', { emitCurrent: false });
    const first = iterator.next();
    await config.set('a', 5);
    expect(await first).toEqual({ value: 5, done: false });
    await config.close();
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});

describe('AbortSignal on loadConfig and sync', () => {
  /** A source whose read waits until its signal aborts. */
  function hanging(closed: string[]): Source {
    return {
      name: 'hanging',
      read: (signal) =>
        new Promise<ChangeSet>((_resolve, reject) =>
          signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
      close: async () => {
        closed.push('hanging');
      },
    };
  }

  it('loadConfig({ signal }) rejects with AbortError and closes the sources', async () => {
    const closed: string[] = [];
    const controller = new AbortController();
    const loading = loadConfig({ sources: [hanging(closed)], signal: controller.signal });
    controller.abort();
    const error = await rejectionOf(loading);
    expect(error.name).toBe('AbortError');
    expect(closed).toEqual(['hanging']);
  });

  it('sync({ signal }) rejects with AbortError and publishes nothing', async () => {
    let reads = 0;
    const source: Source = {
      name: 'slow-second-read',
      read: (signal) => {
        reads++;
        if (reads === 1)
          return Promise.resolve({
            data: { a: 1 },
            checksum: '1',
            source: 'slow-second-read',
            timestamp: new Date(),
          });
        return new Promise<ChangeSet>((_resolve, reject) =>
          signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      },
    };
    const config = await loadConfig({ sources: [source], watch: false });
    const controller = new AbortController();
    const syncing = config.sync({ signal: controller.signal });
    controller.abort();
    expect((await rejectionOf(syncing)).name).toBe('AbortError');
    expect(config.version).toBe(1);
    await config.close();
  });
});

describe('errors nobody observes become process warnings', () => {
  it('a broken edit with no errors$ subscriber prints a warning naming the file', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.json', '{"a":1}');
    const child = fileURLToPath(new URL('../fixtures/unobserved-error.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', child, path], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.error).toBeUndefined();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('LivecfgWarning');
    expect(result.stderr).toContain('[LIVECFG_UNOBSERVED_ERROR]');
    expect(result.stderr).toContain(path);
    // With a subscriber, no warning: the second edit in the child is observed.
    expect(result.stderr.match(/LIVECFG_UNOBSERVED_ERROR/g)).toHaveLength(1);
    expect(result.stdout).toContain('observed PARSE');
  });
});

describe('sources() and history()', () => {
  it('reports each source health and keeps the published changes newest first', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.json', '{"server":{"port":1},"db":{"password":"hunter22"}}');
    const config = await loadConfig({ sources: [file(path), memory({ a: 1 }, { name: 'mem' })], history: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    const [fileStatus, memoryStatus] = config.sources();
    expect(fileStatus).toMatchObject({ name: `file:${path}`, status: 'ok', lastError: null });
    expect(typeof fileStatus?.lastReadAt).toBe('string');
    expect(memoryStatus).toMatchObject({ name: 'mem', status: 'ok' });

    const published = next(config.changes$);
    await writeFile(path, '{"server":{"port":2},"db":{"password":"hunter22"}}');
    await published;
    const [entry] = config.history();
    expect(entry).toMatchObject({
      version: 2,
      source: `file:${path}`,
      changes: [
        {
          path: 'server.port',
          previous: 1,
          value: 2,
          source: `file:${path}`,
          origin: { file: path, line: 1 },
        },
      ],
    });
    expect(config.sources()[0]?.lastChangeAt).not.toBeNull();

    const failed = next(config.errors$);
    await writeFile(path, '{"server":');
    await failed;
    expect(config.sources()[0]).toMatchObject({ status: 'error', lastError: { code: 'PARSE' } });

    await config.set('x', 1);
    await config.set('x', 2);
    expect(config.history().map((item) => item.version)).toEqual([4, 3]);
    await config.close();
  });
});

describe('addSource() and removeSource()', () => {
  it('add at an index and remove, each one transaction; a removed source is closed and stops watching', async () => {
    const base = memory({ a: 1, b: 1 }, { name: 'base' });
    const config = await loadConfig({ sources: [base] });
    const extra = memory({ b: 2 }, { name: 'extra' });
    let closed = false;
    const originalClose = extra.close?.bind(extra);
    extra.close = async () => {
      closed = true;
      await originalClose?.();
    };
    const changes: unknown[] = [];
    config.changes$.subscribe(({ changed, sources }) => changes.push({ changed, sources }));
    await config.addSource(extra);
    expect(config.value).toEqual({ a: 1, b: 2 });
    expect(config.explain('b').source).toBe('extra');
    await config.removeSource(extra);
    expect(config.value).toEqual({ a: 1, b: 1 });
    expect(closed).toBe(true);
    extra.update({ b: 3 });
    await config.sync();
    expect(config.value).toEqual({ a: 1, b: 1 });
    const low = memory({ b: 0, c: 0 }, { name: 'low' });
    await config.addSource(low, { index: 0 });
    expect(config.value).toEqual({ a: 1, b: 1, c: 0 });
    expect(changes).toEqual([
      { changed: ['b'], sources: ['extra'] },
      { changed: ['b'], sources: ['extra'] },
      { changed: ['c'], sources: ['low'] },
    ]);
    await config.close();
  });

  it('a source that makes the config invalid is rejected, not added, and closed', async () => {
    const config = await loadConfig({
      schema: z.object({ a: z.number() }),
      defaults: { a: 1 },
      watch: false,
    });
    const bad = memory({ a: 'x' }, { name: 'bad' });
    let closed = false;
    bad.close = async () => {
      closed = true;
    };
    await expect(config.addSource(bad)).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(closed).toBe(true);
    await expect(config.removeSource(bad)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await config.close();
  });

  it('works under a write storm: no write is lost', async () => {
    const storm = memory({}, { name: 'storm' });
    const config = await loadConfig({ sources: [storm] });
    await new Promise((resolve) => setImmediate(resolve));
    const extras = Array.from({ length: 10 }, (_, index) =>
      memory({ [`extra${index}`]: index }, { name: `e${index}` }),
    );
    const work: Promise<unknown>[] = [];
    for (let index = 0; index < 200; index++) {
      storm.set(`k${index % 20}`, index);
      work.push(config.set(`s${index % 7}`, index));
      if (index % 20 === 0) work.push(config.addSource(extras[index / 20] as Source));
      if (index % 20 === 10) work.push(config.removeSource(extras[(index - 10) / 20] as Source));
    }
    await Promise.all(work);
    await (config as unknown as { loader: { settled(): Promise<void> } }).loader.settled();
    const expected: Record<string, number> = {};
    for (let index = 180; index < 200; index++) expected[`k${index % 20}`] = index;
    for (let index = 193; index < 200; index++) expected[`s${index % 7}`] = index;
    expect(config.value).toEqual(expected);
    await config.close();
  });
});
