/**
 * The lifecycle every source with a client shares: its name, `onError` listeners, one idempotent
 * `close()` that releases the client and forgets the listeners, `CLOSED` errors after it, and its
 * own origin descriptions. Extend it and implement `read`, `watch` and `release`.
 */
import type { ConfigError as ConfigErrorType } from '../reader/errors.js';
import { ConfigError } from '../reader/errors.js';
import type { Origin } from '../reader/provenance.js';
import { type ErrorListener, ErrorListeners } from './error-listeners.js';

/**
 * Base class of a source: `name`, `onError`, `close`, `describeOrigin`.
 *
 * @example
 * class MySource extends SourceBase implements Source {
 *   constructor() { super('my:thing'); }
 *   async read() { this.ensureOpen(); ... }
 *   protected async release() { client.destroy(); }
 * }
 */
export abstract class SourceBase {
  private readonly listeners = new ErrorListeners();
  private readonly watches = new Set<() => void>();
  private isClosed = false;

  constructor(
    readonly name: string,
    private readonly describer?: (origin: Origin) => string | undefined,
  ) {}

  /** Registers a listener for non-fatal errors the source recovers from (server down, bad document). */
  onError(listener: ErrorListener): void {
    this.listeners.add(listener);
  }

  /** This source's own text for one of its origins (for messages and the inspector). */
  describeOrigin(origin: Origin): string | undefined {
    return this.describer?.(origin);
  }

  /** Ends every tracked watch, then releases the client. Idempotent; later reads reject with `CLOSED`. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    try {
      for (const complete of [...this.watches]) complete();
      await this.release();
    } finally {
      this.listeners.clear();
    }
  }

  /**
   * Registers a live watch's `complete` so that `close()` ends it. Returns the unregistration, or
   * `undefined` when the source is already closed (complete the subscriber at once then).
   */
  protected trackWatch(complete: () => void): (() => void) | undefined {
    if (this.isClosed) return undefined;
    this.watches.add(complete);
    return () => this.watches.delete(complete);
  }

  /** Whether `close()` was called. */
  protected get closed(): boolean {
    return this.isClosed;
  }

  /** Releases clients and handles (called once, by `close()`, after the tracked watches ended). */
  protected abstract release(): Promise<void> | void;

  /** Reports a non-fatal error to the `onError` listeners (nothing after `close()`). */
  protected report(error: ConfigErrorType): void {
    if (!this.isClosed) this.listeners.report(error);
  }

  /** The `CLOSED` error of this source. */
  protected closedError(cause?: unknown): ConfigErrorType {
    return new ConfigError('CLOSED', `${this.name}: the source is closed`, { source: this.name, cause });
  }

  /** Throws `CLOSED` after `close()`. */
  protected ensureOpen(): void {
    if (this.isClosed) throw this.closedError();
  }
}
