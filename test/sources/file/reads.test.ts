/**
 * One read per file write (issue 21): the watch events of one write (fs.watch's truncate and write,
 * chokidar's own change event) lead to one read of the file, not one read per event.
 */
import fs, { writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { file, loadConfig } from '../../../src/index.js';
import { next, tempDir } from '../../helpers/watch.js';

const restore: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const undo of restore.splice(0).reverse()) await undo();
});

/** Counts synchronous and asynchronous opens of `path` for reading, until the test ends. */
function countReads(path: string): () => number {
  let reads = 0;
  const { readFileSync } = fs;
  const { open } = fs.promises;
  fs.readFileSync = ((target: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (String(target) === path) reads++;
    return (readFileSync as (...args: unknown[]) => unknown)(target, ...rest);
  }) as typeof fs.readFileSync;
  fs.promises.open = ((target: fs.PathLike, ...rest: unknown[]) => {
    if (String(target) === path) reads++;
    return (open as (...args: unknown[]) => unknown)(target, ...rest);
  }) as typeof fs.promises.open;
  syncBuiltinESMExports();
  restore.push(() => {
    fs.readFileSync = readFileSync;
    fs.promises.open = open;
    syncBuiltinESMExports();
  });
  return () => reads;
}

describe('file source: reads per write', () => {
  it('reads the file once per write', async () => {
    const { dir, cleanup } = await tempDir();
    restore.push(cleanup);
    const path = join(dir, 'app.json');
    writeFileSync(path, JSON.stringify({ counter: 0 }));
    const reads = countReads(path);
    const config = await loadConfig({ sources: [file(path)] });
    restore.push(() => config.close());
    // A first write: once it is published, the watch is ready (its one re-read on ready is done, or
    // merged with this write's read).
    const first = next(config.changes$);
    writeFileSync(path, JSON.stringify({ counter: 0.5 }));
    await first;
    const before = reads();
    const writes = 6;
    for (let counter = 1; counter <= writes; counter++) {
      const published = next(config.changes$);
      writeFileSync(path, JSON.stringify({ counter }));
      expect((await published).current).toEqual({ counter });
    }
    // Reads that the events of earlier writes caused late are counted by the time of the last one.
    expect(reads() - before).toBe(writes);
  });
});
