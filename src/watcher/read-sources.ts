import { ConfigError, toConfigError } from '../reader/errors.js';
import type { ChangeSet, Source } from '../sources/source.js';

/** Reads every source concurrently, each with a timeout; the first failure rejects, naming its source. */
export async function readAll(sources: readonly Source[], timeoutMs = 30_000): Promise<ChangeSet[]> {
  return Promise.all(sources.map((source) => readWithTimeout(source, timeoutMs)));
}

async function readWithTimeout(source: Source, timeoutMs: number): Promise<ChangeSet> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new ConfigError('TIMEOUT', `${source.name}: read timed out after ${timeoutMs} ms`, {
          source: source.name,
        }),
      );
    }, timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([source.read(controller.signal), timeout]);
  } catch (error) {
    throw toConfigError(error, 'SOURCE_READ', source.name);
  } finally {
    clearTimeout(timer);
  }
}
