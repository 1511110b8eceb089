import type { ChangeSet } from '../reader/contract.js';
import { ConfigError, toConfigError } from '../reader/errors.js';
import type { Source } from '../source-kit/source.js';
import { abortError } from './abort.js';

/** Reads every source concurrently, each with a timeout; the first failure rejects, naming its source. */
export function readAll(
  sources: readonly Source[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ChangeSet[]> {
  return Promise.all(sources.map((source) => readSource(source, timeoutMs, signal)));
}

/**
 * The ChangeSet with its source's own origin describer (`Source.describeOrigin`) attached, unless it
 * carries one: the layers built from it describe their origins the source's way everywhere. Its
 * properties are copied as they are (a lazily computed `data` stays lazy).
 */
export function describedBy(source: Source, changeSet: ChangeSet): ChangeSet {
  if (changeSet.describeOrigin || typeof source.describeOrigin !== 'function') return changeSet;
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(changeSet)) as ChangeSet;
  copy.describeOrigin = (origin) => source.describeOrigin?.(origin);
  return copy;
}

/**
 * Reads one source with a timeout (`TIMEOUT`) and an optional caller's signal (its abort rejects with
 * an `AbortError`); either aborts the source's own read. Other failures become ConfigErrors naming it.
 */
export async function readSource(
  source: Source,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ChangeSet> {
  if (signal?.aborted) throw abortError(signal);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(
        new ConfigError('TIMEOUT', `${source.name}: read timed out after ${timeoutMs} ms`, {
          source: source.name,
        }),
      );
    }, timeoutMs);
    timer.unref();
    if (signal) {
      onAbort = () => {
        controller.abort(signal.reason);
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    return describedBy(source, await Promise.race([source.read(controller.signal), stopped]));
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    throw toConfigError(error, 'SOURCE_READ', source.name);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
