import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, take, timeout, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ChangeSet, ConfigError, file, loadConfig, memory, type Source } from '../../src/index.js';
import { runAsNobody } from './run-as-nobody.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'livecfg-faults-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const Schema = z.object({ port: z.number().int().positive(), name: z.string().default('svc') });

function changeSet(data: Record<string, unknown>, source = 'custom'): ChangeSet {
  return { data, checksum: JSON.stringify(data), source, timestamp: new Date() };
}

describe('fault matrix', () => {
  it('unreadable file (EACCES) → PERMISSION error naming the file', async (_context) => {
    const path = join(dir, 'secret.yaml');
    writeFileSync(path, 'port: 1\n');
    chmodSync(path, 0o000);
    chmodSync(dir, 0o755); // others may reach the file, and fail on the file itself
    let result: { code: string; message: string; file?: string | undefined };
    if (process.getuid?.() !== 0) {
      result = await loadConfig({ sources: [file(path)], watch: false }).then(
        () => expect.fail('loaded an unreadable file'),
        (e: ConfigError) => e,
      );
    } else {
      // Root reads any file, so the read runs as user "nobody" in a child process, on a bundle of the
      // library in a world-readable folder: the checkout itself may be unreadable to other users.
      const child = await runAsNobody(path);
      if ('skip' in child) expect.fail(`the EACCES test cannot run as nobody: ${child.skip}`);
      result = child.result;
    }
    expect(result.code).toBe('PERMISSION');
    expect(result.file).toBe(path);
    expect(result.message).toContain(path);
  }, 60_000);

  it('a directory where the file should be → SOURCE_READ "is a directory"', async () => {
    const path = join(dir, 'app.yaml');
    mkdirSync(path);
    const error = await loadConfig({ sources: [file(path)], watch: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('SOURCE_READ');
    expect((error as ConfigError).message).toContain('is a directory');
  });

  it('a file replaced by a symlink loop → SOURCE_READ naming the loop', async () => {
    const path = join(dir, 'app.yaml');
    symlinkSync(join(dir, 'b.yaml'), path);
    symlinkSync(path, join(dir, 'b.yaml'));
    const error = (await loadConfig({ sources: [file(path)], watch: false }).catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(error.code).toBe('SOURCE_READ');
    expect(error.message).toMatch(/symbolic links|symlink loop/);
  });

  it('a short write (truncated document) keeps the last good config and reports a PARSE error with file and line', async () => {
    const path = join(dir, 'app.yaml');
    writeFileSync(path, 'port: 80\nname: web\n');
    const config = await loadConfig({ schema: Schema, sources: [file(path, { retryDelaysMs: [1, 1] })] });
    try {
      const error = firstValueFrom(config.errors$.pipe(timeout(5000)));
      writeFileSync(path, 'port: 80\nname: [web\n');
      const reported = await error;
      expect(reported.code).toBe('PARSE');
      expect(reported.file).toBe(path);
      expect(reported.line).toBeGreaterThan(0);
      expect(config.get('name')).toBe('web');
      expect(config.version).toBe(1);
    } finally {
      await config.close();
    }
  });

  it('a source read hanging past the timeout → TIMEOUT, and the read is aborted', async () => {
    let aborted = false;
    const hanging: Source = {
      name: 'hanging',
      read: (signal) =>
        new Promise<ChangeSet>(() => {
          signal?.addEventListener('abort', () => {
            aborted = true;
          });
        }),
    };
    const error = (await loadConfig({ sources: [hanging], readTimeoutMs: 50 }).catch(
      (e: unknown) => e,
    )) as ConfigError;
    expect(error.code).toBe('TIMEOUT');
    expect(error.source).toBe('hanging');
    expect(aborted).toBe(true);
  });

  it('validation failing after startup → VALIDATION on errors$ naming path, value and source; snapshot kept', async () => {
    const layer = memory({ port: 80 }, { name: 'ops' });
    const config = await loadConfig({ schema: Schema, sources: [layer] });
    try {
      const error = firstValueFrom(config.errors$.pipe(timeout(5000)));
      layer.update({ port: -1 });
      const reported = await error;
      expect(reported.code).toBe('VALIDATION');
      expect(reported.message).toContain('port');
      expect(reported.message).toContain('-1');
      expect(reported.message).toContain('ops');
      expect(config.get('port')).toBe(80);
    } finally {
      await config.close();
    }
  });

  it('a subscriber that throws breaks neither other subscribers nor the loader', async () => {
    const layer = memory({ port: 80 });
    const config = await loadConfig({ schema: Schema, sources: [layer] });
    const reported: unknown[] = [];
    const original = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const onUncaught = (error: unknown): void => {
      reported.push(error);
    };
    process.on('uncaughtException', onUncaught);
    try {
      config.watch('port', { emitCurrent: false }).subscribe(() => {
        throw new Error('subscriber bug');
      });
      const seen = firstValueFrom(
        config.watch('port', { emitCurrent: false }).pipe(take(2), toArray(), timeout(5000)),
      );
      layer.update({ port: 81 });
      await firstValueFrom(
        config.changes$.pipe(
          filter((change) => change.version === 2),
          timeout(5000),
        ),
      );
      layer.update({ port: 82 });
      expect(await seen).toEqual([81, 82]);
      expect(config.version).toBe(3);
      // rxjs reports a throwing subscriber asynchronously, like any unhandled error.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      expect(reported.length).toBeGreaterThan(0);
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const listener of original) process.on('uncaughtException', listener);
      await config.close();
    }
  });

  it('a slow subscriber delays but does not lose or reorder updates', async () => {
    const layer = memory({ port: 1 });
    const config = await loadConfig({ schema: Schema, sources: [layer] });
    try {
      const values: number[] = [];
      config.watch('port', { emitCurrent: false }).subscribe((port) => {
        const until = Date.now() + 20;
        while (Date.now() < until) {
          // busy: a slow, synchronous subscriber
        }
        values.push(port);
      });
      for (let port = 2; port <= 5; port++) {
        const published = firstValueFrom(config.changes$.pipe(timeout(5000)));
        layer.update({ port });
        await published;
      }
      expect(values).toEqual([2, 3, 4, 5]);
    } finally {
      await config.close();
    }
  });

  it('close() during a reload: nothing is published after close, and close resolves', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowSchema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: async (value: unknown) => {
          if ((value as { port?: number }).port === 2) await gate;
          return { value };
        },
      },
    };
    const layer = memory({ port: 1 });
    const config = await loadConfig({ schema: slowSchema, sources: [layer] });
    const versions: number[] = [];
    config.changes$.subscribe((change) => versions.push(change.version));
    const reload = config.set('port', 2);
    const closed = config.close();
    release?.();
    await closed;
    await reload.catch(() => undefined);
    expect(versions).toEqual([]);
    expect(config.get('port')).toBe(1);
  });

  it('reload during close: set() after close rejects with CLOSED; source updates are ignored', async () => {
    const layer = memory({ port: 1 });
    const config = await loadConfig({ schema: Schema, sources: [layer] });
    await config.close();
    await expect(config.set('port', 2)).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(config.sync()).rejects.toMatchObject({ code: 'CLOSED' });
    layer.update({ port: 3 });
    expect(config.get('port')).toBe(1);
    await config.close();
  });

  it('a required file deleted after startup → NOT_FOUND on errors$, last data kept', async () => {
    const path = join(dir, 'app.json');
    writeFileSync(path, '{"port": 5}');
    const config = await loadConfig({ schema: Schema, sources: [file(path)] });
    try {
      const error = firstValueFrom(config.errors$.pipe(timeout(5000)));
      rmSync(path);
      expect((await error).code).toBe('NOT_FOUND');
      expect(config.get('port')).toBe(5);
    } finally {
      await config.close();
    }
  });

  it('a custom source that errors its watch is resubscribed with backoff', async () => {
    let subscriptions = 0;
    const { Observable } = await import('rxjs');
    const flaky: Source = {
      name: 'flaky',
      read: async () => changeSet({ port: 1 }, 'flaky'),
      watch: () =>
        new Observable<ChangeSet>((subscriber) => {
          subscriptions++;
          if (subscriptions < 3) subscriber.error(new Error(`broken ${subscriptions}`));
          else subscriber.next(changeSet({ port: 7 }, 'flaky'));
        }),
    };
    const config = await loadConfig({
      schema: Schema,
      sources: [flaky],
      watchBackoff: { initialMs: 5, maxMs: 20 },
    });
    try {
      const errors = firstValueFrom(config.errors$.pipe(take(2), toArray(), timeout(5000)));
      const port = firstValueFrom(
        config.watch('port').pipe(
          filter((value) => value === 7),
          timeout(5000),
        ),
      );
      expect((await errors).map((error) => error.message)).toEqual(['flaky: broken 1', 'flaky: broken 2']);
      expect(await port).toBe(7);
      expect(subscriptions).toBe(3);
    } finally {
      await config.close();
    }
  });
});
