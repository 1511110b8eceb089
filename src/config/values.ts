import { abortError } from '../loader/abort.js';
import type { Observable } from '../rx/index.js';

/**
 * An observable's values as an async iterable: each value in order (buffered while the consumer is
 * busy) until it completes; an abort of `signal` makes the pending `next()` throw an `AbortError`.
 * Subscribes on the first `next()` and unsubscribes when the iteration ends.
 */
export async function* iterateValues<T>(values$: Observable<T>, signal?: AbortSignal): AsyncGenerator<T> {
  if (signal?.aborted) throw abortError(signal);
  const buffered: T[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const subscription = values$.subscribe({
    next: (value) => {
      buffered.push(value);
      wake?.();
    },
    complete: () => {
      ended = true;
      wake?.();
    },
  });
  const onAbort = (): void => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      if (buffered.length > 0) {
        yield buffered.shift() as T;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    subscription.unsubscribe();
  }
}
