import { once } from 'node:events';
import { watch } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { file, loadConfig } from '../../src/index.js';
import { thrownBy, useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

/**
 * A writer that writes a YAML file in two chunks, the first of which parses on its own: chunk 1,
 * then (once a watcher of the directory saw the change, so the file source saw it too) chunk 2.
 */
async function writeInTwoChunks(path: string, afterFirst: () => Promise<unknown>): Promise<void> {
  const watcher = watch(dirname(path));
  try {
    const seen = once(watcher, 'change');
    await writeFile(path, 'a: 1\n');
    await seen;
    await afterFirst();
    await appendFile(path, 'b: 2\n');
  } finally {
    watcher.close();
  }
}

describe('file({ stableMs })', () => {
  it('a two-chunk write whose first chunk parses is published whole, never half', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.yaml', 'start: true\n');
    const config = await loadConfig({ sources: [file(path, { stableMs: 1000 })] });
    try {
      const published: unknown[] = [];
      config.changes$.subscribe((change) => published.push(change.current));
      const whole = firstValueFrom(
        config.watch('b').pipe(
          filter((b) => b === 2),
          timeout(10_000),
        ),
      );
      await writeInTwoChunks(path, async () => undefined);
      await whole;
      expect(published).toEqual([{ a: 1, b: 2 }]);
    } finally {
      await config.close();
    }
  });

  it('without stableMs the same writer has the first half published (what stableMs prevents)', async () => {
    const dir = await tempDir();
    const path = await dir.write('app.yaml', 'start: true\n');
    const config = await loadConfig({ sources: [file(path)] });
    try {
      const published: unknown[] = [];
      config.changes$.subscribe((change) => published.push(change.current));
      const half = firstValueFrom(
        config.watch('a').pipe(
          filter((a) => a === 1),
          timeout(10_000),
        ),
      );
      const whole = firstValueFrom(
        config.watch('b').pipe(
          filter((b) => b === 2),
          timeout(10_000),
        ),
      );
      await writeInTwoChunks(path, () => half);
      await whole;
      expect(published).toEqual([{ a: 1 }, { a: 1, b: 2 }]);
    } finally {
      await config.close();
    }
  });

  it('rejects a negative or non-finite window', () => {
    expect(thrownBy(() => file('a.yaml', { stableMs: -1 }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(thrownBy(() => file('a.yaml', { stableMs: Number.POSITIVE_INFINITY }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
