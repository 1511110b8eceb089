import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A real temporary directory per test, removed after it. `write(name, text)` returns the file's path. */
export interface TempDir {
  path(name: string): string;
  write(name: string, text: string): Promise<string>;
}

/**
 * Registers an `afterEach` that removes the directories made by the returned factory.
 *
 * @example
 * const tempDir = useTempDirs();
 * it('reads', async () => { const dir = await tempDir(); const file = await dir.write('a.json', '{}'); });
 */
export function useTempDirs(): () => Promise<TempDir> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'livecfg-test-'));
    made.push(dir);
    return {
      path: (name) => join(dir, name),
      async write(name, text) {
        const file = join(dir, name);
        await writeFile(file, text);
        return file;
      },
    };
  };
}

/** The rejection of a promise (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}

/** What a synchronous call throws (fails the test when it returns). */
export function thrownBy(fn: () => unknown): Error & Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to throw');
}
