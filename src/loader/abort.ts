import { ConfigError } from '../reader/errors.js';

/** The `AbortError` an aborted `signal` rejects with (its reason when that is an Error). */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The operation was aborted', 'AbortError');
}

/** The error of work refused or abandoned because the config closed. */
export function closedError(message = 'the config is closed'): ConfigError {
  return new ConfigError('CLOSED', message);
}

/** Whether `error` is a `CLOSED` ConfigError. */
export function isClosedError(error: unknown): boolean {
  return error instanceof ConfigError && error.code === 'CLOSED';
}

/**
 * `work` raced against `signal`: rejects with {@link abortError} as soon as the signal aborts, even
 * when `work` never settles (it is then left to settle unobserved).
 */
export function raceSignal<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Calls `work` with a signal that aborts when `signal` does or after `timeoutMs`, and settles as soon
 * as either happens (rejecting with {@link abortError}, or with `timeout()`), even when `work` ignores
 * its signal. The timer never keeps the process alive.
 */
export async function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  timeout: () => Error,
  signal?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeout()), timeoutMs);
  timer.unref();
  const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  try {
    return await raceSignal(
      Promise.resolve().then(() => work(combined)),
      combined,
    );
  } finally {
    clearTimeout(timer);
  }
}
