import { mkdir, open, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Config, type ConfigError, file, loadConfig, type Source } from '../../../src/index.js';
import { nextError, type Recorder, recordPaths, tempDir, watchFor } from '../../helpers/watch.js';

/**
 * Real files in a temporary directory. Each scenario changes `changed`, then writes a later `tick` to
 * the same file as a positive barrier, and asserts that the subscriber of the unchanged key `same`
 * received nothing and the subscriber of `changed` received exactly the new value.
 */

const yamlDoc = (values: Record<string, unknown>): string =>
  Object.entries(values)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n') + '\n';

let dir: string;
let cleanup: () => Promise<void>;
let config: Config | undefined;
let errors: ConfigError[];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  errors = [];
});

afterEach(async () => {
  await config?.close();
  config = undefined;
  await cleanup();
});

async function load(...sources: Source[]): Promise<Config> {
  config = await loadConfig({ sources });
  config.errors$.subscribe((error) => errors.push(error));
  return config;
}

/** Writes `tick` into `path` (with the other keys), waits for it, and checks the recorders. */
async function barrier(
  path: string,
  content: Record<string, unknown>,
  recorders: Map<string, Recorder<unknown>>,
  expected: Record<string, unknown[]>,
): Promise<void> {
  const tick = Date.now();
  await writeFile(path, yamlDoc({ ...content, tick }));
  await watchFor(config!, 'tick', tick);
  for (const [key, recorder] of recorders) expect(recorder.values, key).toEqual(expected[key] ?? []);
}

describe('file scenarios', () => {
  it('in-place write', async () => {
    const path = join(dir, 'config.yaml');
    await writeFile(path, yamlDoc({ changed: 1, same: 'x', tick: 0 }));
    const cfg = await load(file(path));
    const recorders = recordPaths(cfg, ['changed', 'same']);
    await writeFile(path, yamlDoc({ changed: 2, same: 'x', tick: 0 }));
    await watchFor(cfg, 'changed', 2);
    await barrier(path, { changed: 2, same: 'x' }, recorders, { changed: [2] });
    expect(errors).toEqual([]);
  });

  it('editor atomic save: write a temp file in the same directory, then rename over', async () => {
    const path = join(dir, 'config.yaml');
    await writeFile(path, yamlDoc({ changed: 'a', same: 'x', tick: 0 }));
    const cfg = await load(file(path));
    const recorders = recordPaths(cfg, ['changed', 'same']);
    const temp = join(dir, '.config.yaml.swp');
    await writeFile(temp, yamlDoc({ changed: 'b', same: 'x', tick: 0 }));
    await rename(temp, path);
    await watchFor(cfg, 'changed', 'b');
    // A second save through a new temp file (new inode again).
    await writeFile(temp, yamlDoc({ changed: 'c', same: 'x', tick: 0 }));
    await rename(temp, path);
    await watchFor(cfg, 'changed', 'c');
    await barrier(path, { changed: 'c', same: 'x' }, recorders, { changed: ['b', 'c'] });
    expect(errors).toEqual([]);
  });

  it('an optional file that is deleted drops its layer (values fall back) and is picked up when recreated', async () => {
    const base = join(dir, 'base.yaml');
    const local = join(dir, 'local.yaml');
    await writeFile(base, yamlDoc({ changed: 'base', same: 'x', tick: 0 }));
    await writeFile(local, yamlDoc({ changed: 'local' }));
    const cfg = await load(file(base), file(local, { optional: true }));
    expect(cfg.get('changed')).toBe('local');
    const recorders = recordPaths(cfg, ['changed', 'same']);
    await unlink(local);
    await watchFor(cfg, 'changed', 'base');
    await writeFile(local, yamlDoc({ changed: 'again' }));
    await watchFor(cfg, 'changed', 'again');
    await barrier(base, { changed: 'base', same: 'x' }, recorders, { changed: ['base', 'again'] });
    expect(errors).toEqual([]);
  });

  it('a required file that is deleted reports NOT_FOUND, keeps its data, and reloads when it comes back', async () => {
    const path = join(dir, 'config.yaml');
    await writeFile(path, yamlDoc({ changed: 1, same: 'x', tick: 0 }));
    const cfg = await load(file(path));
    const recorders = recordPaths(cfg, ['changed', 'same']);
    const notFound = nextError(cfg, (error) => error.code === 'NOT_FOUND');
    await unlink(path);
    const error = await notFound;
    expect(error.source).toBe(`file:${path}`);
    expect(error.message).toContain(path);
    expect(cfg.get('changed')).toBe(1);
    expect(cfg.version).toBe(1);
    await writeFile(path, yamlDoc({ changed: 2, same: 'x', tick: 0 }));
    await watchFor(cfg, 'changed', 2);
    await barrier(path, { changed: 2, same: 'x' }, recorders, { changed: [2] });
    expect(errors.map((e) => e.code)).toEqual(['NOT_FOUND']);
  });

  it('a required file that is deleted and recreated with the same content publishes nothing', async () => {
    const path = join(dir, 'config.yaml');
    await writeFile(path, yamlDoc({ changed: 1, same: 'x', tick: 0 }));
    const cfg = await load(file(path));
    const recorders = recordPaths(cfg, ['changed', 'same']);
    const notFound = nextError(cfg, (error) => error.code === 'NOT_FOUND');
    await unlink(path);
    await notFound;
    await writeFile(path, yamlDoc({ changed: 1, same: 'x', tick: 0 }));
    await barrier(path, { changed: 1, same: 'x' }, recorders, {});
    expect(cfg.version).toBe(2);
  });

  it('an optional file that appears after startup', async () => {
    const base = join(dir, 'base.yaml');
    const local = join(dir, 'local.yaml');
    await writeFile(base, yamlDoc({ changed: 'base', same: 'x', tick: 0 }));
    const cfg = await load(file(base), file(local, { optional: true }));
    const recorders = recordPaths(cfg, ['changed', 'same']);
    await writeFile(local, yamlDoc({ changed: 'local' }));
    await watchFor(cfg, 'changed', 'local');
    await barrier(base, { changed: 'base', same: 'x' }, recorders, { changed: ['local'] });
    expect(errors).toEqual([]);
  });

  it('a change made right after loadConfig resolves is not lost', async () => {
    const path = join(dir, 'config.yaml');
    await writeFile(path, yamlDoc({ changed: 1, same: 'x', tick: 0 }));
    const cfg = await load(file(path));
    // No await between loadConfig and the write: the watcher may not be ready yet.
    await writeFile(path, yamlDoc({ changed: 2, same: 'x', tick: 0 }));
    await watchFor(cfg, 'changed', 2);
  });

  it('Kubernetes ConfigMap: ..data symlink swapped atomically, then the old directory deleted', async () => {
    const first = join(dir, '..2026_01_01_00_00_00.000000001');
    await mkdir(first);
    await writeFile(join(first, 'config.yaml'), yamlDoc({ changed: 'v1', same: 'x', tick: 0 }));
    await symlink('..2026_01_01_00_00_00.000000001', join(dir, '..data'));
    await symlink('..data/config.yaml', join(dir, 'config.yaml'));
    const path = join(dir, 'config.yaml');
    const cfg = await load(file(path));
    expect(cfg.get('changed')).toBe('v1');
    const recorders = recordPaths(cfg, ['changed', 'same']);

    let previous = first;
    const swap = async (name: string, values: Record<string, unknown>) => {
      const next = join(dir, name);
      await mkdir(next);
      await writeFile(join(next, 'config.yaml'), yamlDoc(values));
      await symlink(name, join(dir, '..data_tmp'));
      await rename(join(dir, '..data_tmp'), join(dir, '..data'));
      await rm(previous, { recursive: true });
      previous = next;
    };
    await swap('..2026_01_01_00_00_01.000000002', { changed: 'v2', same: 'x', tick: 0 });
    await watchFor(cfg, 'changed', 'v2');
    await swap('..2026_01_01_00_00_02.000000003', { changed: 'v3', same: 'x', tick: 0 });
    await watchFor(cfg, 'changed', 'v3');
    // The barrier is one more swap that changes only `tick`.
    await swap('..2026_01_01_00_00_03.000000004', { changed: 'v3', same: 'x', tick: 1 });
    await watchFor(cfg, 'tick', 1);
    expect(recorders.get('changed')?.values).toEqual(['v2', 'v3']);
    expect(recorders.get('same')?.values).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('Kubernetes ConfigMap: the swap itself is seen before the old directory is deleted', async () => {
    const first = join(dir, '..2026_01_01_00_00_00.000000001');
    await mkdir(first);
    await writeFile(join(first, 'config.yaml'), yamlDoc({ changed: 'v1', same: 'x' }));
    await symlink('..2026_01_01_00_00_00.000000001', join(dir, '..data'));
    await symlink('..data/config.yaml', join(dir, 'config.yaml'));
    const cfg = await load(file(join(dir, 'config.yaml')));
    const next = join(dir, '..2026_01_01_00_00_01.000000002');
    await mkdir(next);
    await writeFile(join(next, 'config.yaml'), yamlDoc({ changed: 'v2', same: 'x' }));
    await symlink('..2026_01_01_00_00_01.000000002', join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    await watchFor(cfg, 'changed', 'v2');
  });

  it('a partially written file is retried, not published, when completed within the retry window', async () => {
    const path = join(dir, 'config.json');
    await writeFile(path, JSON.stringify({ changed: 1, same: 'x', tick: 0 }));
    // A retry window that cannot run out under load: only the completing write ends it.
    const cfg = await load(file(path, { retryDelaysMs: [30_000] }));
    // A second config on the same file without retries reports the half-written state at once: the
    // event that says the partial content is on disk and the watchers have seen it.
    const observer = await loadConfig({ sources: [file(path, { retryDelaysMs: [] })] });
    try {
      const recorders = recordPaths(cfg, ['changed', 'same']);
      const text = JSON.stringify({ changed: 2, same: 'x', tick: 0 });
      const half = Math.floor(text.length / 2);
      const seenHalf = nextError(observer, (error) => error.code === 'PARSE');
      const handle = await open(path, 'w');
      try {
        await handle.write(text.slice(0, half), 0);
        await seenHalf;
        await handle.write(text.slice(half), half);
      } finally {
        await handle.close();
      }
      await watchFor(cfg, 'changed', 2);
      const tick = Date.now();
      await writeFile(path, JSON.stringify({ changed: 2, same: 'x', tick }));
      await watchFor(cfg, 'tick', tick);
      expect(recorders.get('changed')?.values).toEqual([2]);
      expect(recorders.get('same')?.values).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await observer.close();
    }
  });

  it('a file that stays broken is reported as PARSE with file and line, and the last good snapshot stays', async () => {
    const path = join(dir, 'config.yaml');
    await writeFile(path, yamlDoc({ changed: 1, same: 'x' }));
    const cfg = await load(file(path));
    const before = cfg.value;
    const parse = nextError(cfg, (error) => error.code === 'PARSE');
    await writeFile(path, 'changed: 1\nsame: [unclosed\n');
    const error = await parse;
    expect(error.file).toBe(path);
    expect(error.line).toBeGreaterThanOrEqual(2);
    expect(error.message).toContain(path);
    expect(cfg.value).toBe(before);
    expect(cfg.version).toBe(1);
  });

  it('broken content is reported again each time it comes back', async () => {
    const path = join(dir, 'config.yaml');
    const good = yamlDoc({ changed: 1, same: 'x' });
    await writeFile(path, good);
    const cfg = await load(file(path, { retryDelaysMs: [] }));
    const broken = 'changed: [1\n';
    const first = nextError(cfg, (error) => error.code === 'PARSE');
    await writeFile(path, broken);
    await first;
    await writeFile(path, good); // back to the published content: nothing to publish
    const tick = Date.now();
    await writeFile(path, yamlDoc({ changed: 1, same: 'x', tick }));
    await watchFor(cfg, 'tick', tick);
    await writeFile(path, good);
    await watchFor(cfg, 'tick', undefined);
    const second = nextError(cfg, (error) => error.code === 'PARSE');
    await writeFile(path, broken);
    await second;
    expect(errors.map((error) => error.code)).toEqual(['PARSE', 'PARSE']);
  });
});
