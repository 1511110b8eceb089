import type { ConfigError } from '../reader/errors.js';
import { LazySubject } from '../rx/lazy.js';

/** What the facade gives the loader at construction: where errors and the end of the config go. */
export interface LoaderHooks {
  /** Called once the config closes (the facade completes its watchers). */
  onClose?: () => void;
  /** Masks secrets in an error before anyone sees it. */
  redactError?: (error: ConfigError) => ConfigError;
  /** Reports an error nobody observes on `errors$` (the facade warns through process.emitWarning). */
  onUnobservedError?: (error: ConfigError) => void;
}

/**
 * The loader's error reporting: every error is redacted, then delivered on `errors` when someone
 * subscribes and to `onUnobservedError` when nobody does; nothing is reported after close.
 */
export class ErrorReporter {
  readonly errors = new LazySubject<ConfigError>();
  private closed = false;

  constructor(private readonly hooks: LoaderHooks) {}

  /** `error` with secrets masked (as every error leaves the loader). */
  redact(error: ConfigError): ConfigError {
    return this.hooks.redactError ? this.hooks.redactError(error) : error;
  }

  /** Reports an error on errors$ (or as a warning when nobody listens). */
  report(raw: ConfigError): void {
    if (this.closed) return;
    const error = this.redact(raw);
    if (this.errors.observed) this.errors.next(error);
    else this.hooks.onUnobservedError?.(error);
  }

  /** Stops reporting and completes `errors`. */
  close(): void {
    this.closed = true;
    this.errors.complete();
  }
}
