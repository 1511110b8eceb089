/** Waiting on an emitter's event in tests: the next matching one, or a rejection after a timeout. */
import type { EventEmitter } from 'node:events';

/**
 * Resolves with the first argument of the next `event` that `predicate` accepts; rejects after
 * `timeoutMs` with `<who>: no "<event>" event within <timeoutMs> ms`. Removes its listener either way.
 */
export function nextMatchingEvent<T>(
  emitter: EventEmitter,
  event: string,
  predicate: (value: T) => boolean,
  timeoutMs: number,
  who: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (value: T) => {
      if (!predicate(value)) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${who}: no "${event}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      emitter.off(event, listener);
    };
    emitter.on(event, listener);
  });
}
