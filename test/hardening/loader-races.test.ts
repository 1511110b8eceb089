/**
 * Issue 11 (reliability round 2), the loader's items: lost writes, set() racing close(), rejected
 * changes that become valid, non-plain values, startup errors that were plain TypeErrors, and what a
 * throwing subscriber does. Each of these failed on 0.1.0.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { file, loadConfig, memory } from '../../src/index.js';
import { rejectionOf, useTempDirs } from '../helpers/temp-dir.js';
import { next } from '../helpers/watch.js';

const tempDir = useTempDirs();

describe('no write is lost to a race (item 1)', () => {
  it('two concurrent set() calls both land', async () => {
    const config = await loadConfig({ watch: false });
    await Promise.all([config.set('a', 1), config.set('b', 2)]);
    expect(config.value).toEqual({ a: 1, b: 2 });
    await config.close();
  });

  it('1,000 concurrent set/delete/sync calls end as the last call per key, versions strictly +1', async () => {
    const config = await loadConfig({ sources: [memory({ base: 1 })], watch: false });
    const versions: number[] = [];
    config.changes$.subscribe(({ version }) => versions.push(version));
    const expected = new Map<string, number | undefined>();
    const calls: Promise<void>[] = [];
    // A deterministic pseudo-random sequence over 20 keys.
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let index = 0; index < 1000; index++) {
      const key = `k${Math.floor(random() * 20)}`;
      const roll = random();
      if (roll < 0.6) {
        calls.push(config.set(key, index));
        expected.set(key, index);
      } else if (roll < 0.9) {
        calls.push(config.delete(key));
        expected.set(key, undefined);
      } else {
        calls.push(config.sync());
      }
    }
    await Promise.all(calls);
    const overrides: Record<string, number> = {};
    for (const [key, value] of expected) if (value !== undefined) overrides[key] = value;
    expect(config.value).toEqual({ base: 1, ...overrides });
    expect(versions).toEqual(versions.map((_, index) => index + 2));
    await config.close();
  });
});

describe('set() racing close() (item 2)', () => {
  it('a set() queued before close() publishes or rejects with CLOSED, never resolves silently', async () => {
    const config = await loadConfig({ watch: false });
    const published: number[] = [];
    config.changes$.subscribe(({ version }) => published.push(version));
    const results = await Promise.allSettled([config.set('a', 1), config.set('b', 2), config.close()]);
    for (const [index, result] of results.slice(0, 2).entries()) {
      if (result.status === 'fulfilled') expect(config.value).toHaveProperty(index === 0 ? 'a' : 'b');
      else expect(result.reason).toMatchObject({ code: 'CLOSED' });
    }
    const fulfilled = results.slice(0, 2).filter((result) => result.status === 'fulfilled').length;
    expect(published).toHaveLength(fulfilled);
    await expect(config.set('c', 3)).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('a rejected change is not forgotten (item 3)', () => {
  it('two files with a cross-field rule: a later edit to the other file publishes the valid state', async () => {
    const dir = await tempDir();
    const minFile = await dir.write('min.json', '{"pool":{"min":1}}');
    const maxFile = await dir.write('max.json', '{"pool":{"max":5}}');
    const Schema = z
      .object({ pool: z.object({ min: z.number(), max: z.number() }) })
      .refine((value) => value.pool.min <= value.pool.max, { message: 'pool.min must be <= pool.max' });
    const config = await loadConfig({ schema: Schema, sources: [file(minFile), file(maxFile)] });
    const rejected = next(config.errors$);
    await writeFile(minFile, '{"pool":{"min":10}}');
    expect((await rejected).code).toBe('VALIDATION');
    expect(config.value.pool).toEqual({ min: 1, max: 5 });
    // Now the other file makes the on-disk state valid: published without sync().
    const published = next(config.changes$);
    await writeFile(maxFile, '{"pool":{"max":20}}');
    await published;
    expect(config.value.pool).toEqual({ min: 10, max: 20 });
    await config.close();
  });

  it('while one source holds rejected data, another source and set() still publish valid changes', async () => {
    const Schema = z.object({ a: z.number(), b: z.number().optional(), c: z.number().optional() });
    const bad = memory({ a: 1 }, { name: 'bad' });
    const good = memory({}, { name: 'good' });
    const config = await loadConfig({ schema: Schema, sources: [bad, good] });
    await new Promise((resolve) => setImmediate(resolve));
    const rejected = next(config.errors$);
    bad.update({ a: 'not a number' });
    expect((await rejected).source).toBe('bad');
    const published = next(config.changes$);
    good.update({ b: 2 });
    await published;
    expect(config.value).toEqual({ a: 1, b: 2 });
    await config.set('c', 3);
    expect(config.value).toEqual({ a: 1, b: 2, c: 3 });
    await config.close();
  });
});

describe('non-plain values (item 4)', () => {
  it('set() of a Date stores its ISO string; a schema can coerce it back; a change is published', async () => {
    const Schema = z.object({ at: z.coerce.date().optional() });
    const config = await loadConfig({ schema: Schema, watch: false });
    await config.set('at', new Date('2026-01-01T00:00:00Z'));
    expect(config.value.at).toEqual(new Date('2026-01-01T00:00:00Z'));
    const changed = next(config.changes$);
    await config.set('at', new Date('2026-06-01T00:00:00Z'));
    expect((await changed).changed).toEqual(['at']);
    expect(config.value.at).toEqual(new Date('2026-06-01T00:00:00Z'));
    await config.close();
  });

  it('a schema output Date or URL that changes is published (deep equality of non-plain values)', async () => {
    const Schema = z.object({ url: z.string().transform((text) => new URL(text)) });
    const source = memory({ url: 'https://a.example/' });
    const config = await loadConfig({ schema: Schema, sources: [source] });
    await new Promise((resolve) => setImmediate(resolve));
    const changed = next(config.changes$);
    source.update({ url: 'https://b.example/' });
    expect((await changed).changed).toEqual(['url']);
    expect(config.value.url.href).toBe('https://b.example/');
    await config.close();
  });

  it('set() of a Map, a class instance or a function is rejected naming the path', async () => {
    const config = await loadConfig({ watch: false });
    for (const value of [new Map(), new (class Thing {})(), () => 1, Buffer.from('x')]) {
      const error = await rejectionOf(config.set('a.b', { inner: value }));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(error.message).toContain('a.b.inner');
    }
    expect(config.version).toBe(1);
    await config.close();
  });
});

describe('startup errors are typed (item 12)', () => {
  it('a refinement that throws rejects loadConfig with VALIDATION and the cause attached', async () => {
    const boom = new TypeError('x is undefined');
    const Schema = z.object({ a: z.number() }).refine(() => {
      throw boom;
    });
    const error = await rejectionOf(loadConfig({ schema: Schema, defaults: { a: 1 } }));
    expect(error).toMatchObject({ code: 'VALIDATION' });
    expect(error.cause).toBe(boom);
  });

  it('the same refinement at reload is VALIDATION too', async () => {
    let explode = false;
    const Schema = z.object({ a: z.number() }).refine(() => {
      if (explode) throw new TypeError('boom');
      return true;
    });
    const config = await loadConfig({ schema: Schema, defaults: { a: 1 }, watch: false });
    explode = true;
    await expect(config.set('a', 2)).rejects.toMatchObject({ code: 'VALIDATION' });
    await config.close();
  });
});

describe('a subscriber that throws (item 13, second bullet)', () => {
  it('is reported by rxjs as an uncaught exception; with a handler the process, other subscribers and the loader carry on', () => {
    const child = fileURLToPath(new URL('../fixtures/throwing-subscriber.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', child], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.error).toBeUndefined();
    expect(result.stderr, result.stderr).not.toContain('Error:');
    expect(result.stdout.trim().split('\n')).toEqual([
      'uncaught: subscriber bug 2',
      'other subscriber: 2',
      'uncaught: subscriber bug 3',
      'other subscriber: 3',
      'value: 3',
    ]);
    expect(result.status).toBe(0);
  });
});

describe('errors never repeat a secret (issue 11 item 10, issue 17 item 6)', () => {
  it('a validation error about a secret path masks the rejected value in errors$, rejections and sources()', async () => {
    const Schema = z.object({ db: z.object({ password: z.string().min(20, 'password too short') }) });
    const source = memory({ db: { password: 'a-long-enough-password-1' } }, { name: 'mem' });
    const config = await loadConfig({ schema: Schema, sources: [source] });
    await new Promise((resolve) => setImmediate(resolve));
    const reported = next(config.errors$);
    source.update({ db: { password: 'shortSecretX' } });
    const error = await reported;
    expect(error.code).toBe('VALIDATION');
    expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toContain('shortSecretX');
    expect(JSON.stringify(config.sources())).not.toContain('shortSecretX');
    const rejected = await rejectionOf(config.set('db.password', 'otherSecretY'));
    expect(JSON.stringify({ message: rejected.message, issues: rejected.issues })).not.toContain(
      'otherSecretY',
    );
    const startup = await rejectionOf(
      loadConfig({ schema: Schema, defaults: { db: { password: 'startupSecretZ' } } }),
    );
    expect(startup.message).toContain('db.password');
    expect(startup.message).not.toContain('startupSecretZ');
    await config.close();
  });
});
