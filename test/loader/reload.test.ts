import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, file, flags, loadConfig, memory } from '../../src/index.js';
import {
  type Live,
  next,
  nextChange,
  nextError,
  Recorder,
  recordPaths,
  tempDir,
  watchFor,
} from '../helpers/watch.js';

const Schema = z.object({
  server: z.object({ host: z.string().default('0.0.0.0'), port: z.number().int().positive() }),
  name: z.string().default('app'),
  limit: z.number().int().positive().optional(),
  tick: z.number().optional(),
  tags: z.array(z.string()).default([]),
});

const configs: Live[] = [];
afterEach(async () => {
  await Promise.all(configs.splice(0).map((config) => config.close()));
});

async function track<C extends Live>(config: Promise<C>): Promise<C> {
  const loaded = await config;
  configs.push(loaded);
  return loaded;
}

describe('reloads', () => {
  it('watch defaults to true: a file change reloads', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const path = join(dir, 'app.yaml');
      await writeFile(path, 'server:\n  port: 8080\n');
      const config = await track(loadConfig({ schema: Schema, sources: [file(path)] }));
      await writeFile(path, 'server:\n  port: 9090\n');
      expect(await watchFor(config, 'server.port', 9090)).toBe(9090);
      expect(config.version).toBe(2);
    } finally {
      await cleanup();
    }
  });

  it('watch: false never reloads', async () => {
    const source = memory({ server: { port: 1 } });
    const config = await track(loadConfig({ schema: Schema, sources: [source], watch: false }));
    source.update({ server: { port: 2 } });
    await config.set('tick', 1); // barrier: a transaction after the update
    expect(config.get('server.port')).toBe(1);
  });

  it('a burst of updates is coalesced into one transaction, latest data wins', async () => {
    const source = memory({ server: { port: 1 } });
    const config = await track(loadConfig({ schema: Schema, sources: [source] }));
    const changes = new Recorder(config.changes$);
    for (let port = 2; port <= 50; port++) source.update({ server: { port } });
    await watchFor(config, 'server.port', 50);
    await config.set('tick', 1); // barrier
    expect(changes.values.map((change) => change.current.server.port)).toEqual([50, 50]);
    expect(changes.values.map((change) => change.version)).toEqual([2, 3]);
  });

  it('a failed validation publishes a ConfigError on errors$ and keeps the last good snapshot', async () => {
    const source = memory({ server: { port: 1 } });
    const config = await track(loadConfig({ schema: Schema, sources: [source] }));
    const before = config.value;
    const recorders = recordPaths(config, ['server.port', 'name', '']);
    const changes = new Recorder(config.changes$);
    const error = nextError(config);
    source.update({ server: { port: -5 } });
    const failure = await error;
    expect(failure).toBeInstanceOf(ConfigError);
    expect(failure.code).toBe('VALIDATION');
    expect(failure.source).toBe('memory');
    expect(failure.path).toBe('server.port');
    expect(failure.issues?.[0]?.path).toBe('server.port');
    expect(config.value).toBe(before);
    expect(config.version).toBe(1);
    // The next valid update goes through.
    source.update({ server: { port: 7 } });
    await watchFor(config, 'server.port', 7);
    expect(changes.values).toHaveLength(1);
    expect(recorders.get('server.port')?.values).toEqual([7]);
    expect(recorders.get('name')?.values).toEqual([]);
  });

  it('a valid change is not lost when another source fails in the same batch', async () => {
    const a = memory({ server: { port: 1 } }, { name: 'a' });
    const b = memory({ name: 'one' }, { name: 'b' });
    const config = await track(loadConfig({ schema: Schema, sources: [a, b] }));
    const error = nextError(config);
    // Same tick: both land in one debounced batch.
    a.update({ server: { port: -1 } });
    b.update({ name: 'two' });
    expect((await error).code).toBe('VALIDATION');
    await watchFor(config, 'name', 'two');
    expect(config.get('server.port')).toBe(1);
  });
});

describe('watch(path) and changes$', () => {
  it('emits the current value, then each deep-distinct new value', async () => {
    const source = memory({ server: { port: 1 }, tags: ['a'] });
    const config = await track(loadConfig({ schema: Schema, sources: [source] }));
    const port = new Recorder(config.watch('server.port'));
    const tags = new Recorder(config.watch('tags'));
    const server = new Recorder(config.watch('server'));
    const quiet = new Recorder(config.watch('server.port', { emitCurrent: false }));
    expect(port.values).toEqual([1]);
    expect(tags.values).toEqual([['a']]);
    expect(quiet.values).toEqual([]);

    source.update({ server: { port: 1 }, tags: ['a'], limit: 3 }); // new objects, equal content
    await watchFor(config, 'limit', 3);
    source.update({ server: { port: 2 }, tags: ['a'], limit: 3 });
    await watchFor(config, 'server.port', 2);
    source.update({ server: { port: 2 }, tags: ['a', 'b'], limit: 3 });
    await watchFor(config, 'tags', ['a', 'b']);

    expect(port.values).toEqual([1, 2]);
    expect(quiet.values).toEqual([2]);
    expect(tags.values).toEqual([['a'], ['a', 'b']]);
    expect(server.values).toEqual([
      { host: '0.0.0.0', port: 1 },
      { host: '0.0.0.0', port: 2 },
    ]);
  });

  it('watch() without a path observes the whole tree', async () => {
    const source = memory({ server: { port: 1 } });
    const config = await track(loadConfig({ schema: Schema, sources: [source] }));
    const whole = new Recorder(config.watch());
    source.update({ server: { port: 2 } });
    await watchFor(config, 'server.port', 2);
    expect(whole.values).toHaveLength(2);
    expect(whole.values[1]).toBe(config.value);
  });

  it('emits undefined when a key is removed, and the value when it comes back', async () => {
    const source = memory({ server: { port: 1 }, limit: 5 });
    const config = await track(loadConfig({ schema: Schema, sources: [source] }));
    const limit = new Recorder(config.watch('limit', { emitCurrent: false }));
    source.update({ server: { port: 1 } });
    await next(config.changes$);
    source.update({ server: { port: 1 }, limit: 6 });
    await watchFor(config, 'limit', 6);
    expect(limit.values).toEqual([undefined, 6]);
  });

  it('changes$ carries version, previous, current, exactly the changed leaf paths and the source', async () => {
    const source = memory({ server: { port: 1 }, name: 'x', tags: ['a'] }, { name: 'mem' });
    const config = await track(loadConfig({ schema: Schema, sources: [source] }));
    const previous = config.value;
    const change = nextChange(config);
    source.update({ server: { port: 2 }, name: 'x', tags: ['a', 'b'], limit: 4 });
    const published = await change;
    expect(published.version).toBe(2);
    expect(published.previous).toBe(previous);
    expect(published.current).toBe(config.value);
    expect(published.source).toBe('mem');
    expect([...published.changed].sort()).toEqual(['limit', 'server.port', 'tags']);
    // Unchanged subtrees keep their identity.
    expect(Object.isFrozen(published.current)).toBe(true);

    const removal = nextChange(config);
    source.update({ server: { port: 2 }, name: 'x', tags: ['a', 'b'] });
    expect((await removal).changed).toEqual(['limit']);
  });

  it('set() and delete() publish with source set/delete; sync() with source sync', async () => {
    const source = memory({ server: { port: 1 } });
    const config = await track(loadConfig({ schema: Schema, sources: [source] }));
    const changes = new Recorder(config.changes$);
    await config.set('server.port', 2);
    expect(config.get('server.port')).toBe(2);
    await config.delete('server.port');
    expect(config.get('server.port')).toBe(1);
    expect(changes.values.map((change) => [change.source, change.changed])).toEqual([
      ['set', ['server.port']],
      ['delete', ['server.port']],
    ]);
  });

  it('set() of an invalid value rejects with VALIDATION and leaves the snapshot', async () => {
    const source = memory({ server: { port: 1 } });
    const config = await track(loadConfig({ schema: Schema, sources: [source] }));
    const before = config.value;
    const changes = new Recorder(config.changes$);
    const port = new Recorder(config.watch('server.port', { emitCurrent: false }));
    await expect(config.set('server.port', -1)).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(config.value).toBe(before);
    expect(config.version).toBe(1);
    // The rejected override is not kept: the next source change validates without it.
    source.update({ server: { port: 3 } });
    await watchFor(config, 'server.port', 3);
    expect(changes.values).toHaveLength(1);
    expect(port.values).toEqual([3]);
  });

  it('memory().update() and set() go through one serialised transaction queue', async () => {
    const source = memory({ server: { port: 1 } });
    const config = await track(loadConfig({ schema: Schema, sources: [source] }));
    const changes = new Recorder(config.changes$);
    source.update({ server: { port: 2 } });
    await config.set('name', 'over');
    source.update({ server: { port: 3 } });
    await watchFor(config, 'server.port', 3);
    expect(config.get('name')).toBe('over');
    const versions = changes.values.map((change) => change.version);
    expect(versions).toEqual(versions.map((_, index) => index + 2));
    for (const change of changes.values) expect(Schema.safeParse(change.current).success).toBe(true);
  });

  it('env and flags are static: they are read once, never re-read by a reload', async () => {
    const environ: Record<string, string | undefined> = { APP_NAME: 'from-env' };
    const source = memory({ server: { port: 1 } });
    const config = await track(
      loadConfig({
        schema: Schema,
        sources: [
          source,
          env({ prefix: 'APP_', environ: () => environ }),
          flags(['--server.host=flag-host']),
        ],
      }),
    );
    expect(config.get('name')).toBe('from-env');
    environ.APP_NAME = 'changed';
    source.update({ server: { port: 2 } });
    await watchFor(config, 'server.port', 2);
    expect(config.get('name')).toBe('from-env');
    expect(config.get('server.host')).toBe('flag-host');
  });
});

describe('close()', () => {
  it('is idempotent, completes every stream, and rejects later writes with CLOSED', async () => {
    const source = memory({ server: { port: 1 } });
    const config = await loadConfig({ schema: Schema, sources: [source] });
    const changes = new Recorder(config.changes$);
    const errors = new Recorder(config.errors$);
    const port = new Recorder(config.watch('server.port'));
    const first = config.close();
    expect(config.close()).toBe(first);
    await first;
    await config.close();
    expect(changes.completed).toBe(true);
    expect(errors.completed).toBe(true);
    expect(port.completed).toBe(true);
    source.update({ server: { port: 2 } });
    await expect(config.set('server.port', 3)).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(config.sync()).rejects.toMatchObject({ code: 'CLOSED' });
    expect(config.get('server.port')).toBe(1);
    expect(port.values).toEqual([1]);
    const late = new Recorder(config.watch('server.port'));
    expect(late.values).toEqual([1]);
    expect(late.completed).toBe(true);
  });

  it('a pending debounced reload is dropped by close()', async () => {
    const source = memory({ server: { port: 1 } });
    const config = await loadConfig({ schema: Schema, sources: [source], debounceMs: 50 });
    const changes = new Recorder(config.changes$);
    source.update({ server: { port: 2 } });
    await config.close();
    expect(changes.values).toEqual([]);
    expect(config.get('server.port')).toBe(1);
  });
});
