import type { ConfigError } from '../reader/errors.js';

/** A listener of a source's non-fatal errors (see `Source.onError`). */
export type ErrorListener = (error: ConfigError) => void;

/**
 * The `onError` listeners of one source. Each listener is called in isolation: one that throws
 * neither stops the others nor breaks the watch that reported the error.
 */
export class ErrorListeners {
  private readonly listeners = new Set<ErrorListener>();

  /** Registers a listener. */
  add(listener: ErrorListener): void {
    this.listeners.add(listener);
  }

  /** Calls every listener with the error. */
  report(error: ConfigError): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(error);
      } catch {
        // A listener's failure must not stop the watch or the other listeners.
      }
    }
  }

  /** Forgets every listener. */
  clear(): void {
    this.listeners.clear();
  }
}
