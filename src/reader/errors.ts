import type { Origin } from './provenance.js';

/** Stable machine-readable error codes carried by every {@link ConfigError}. */
export type ConfigErrorCode =
  | 'SOURCE_READ'
  | 'PARSE'
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'TIMEOUT'
  | 'PERMISSION'
  | 'CLOSED'
  | 'CONFLICT'
  | 'UNSAFE_KEY'
  | 'INVALID_ARGUMENT'
  | 'SECRET';

/** One schema issue: the dotted path, what was wrong, the offending value and where it came from. */
export interface ConfigIssue {
  path: string;
  message: string;
  value?: unknown;
  source?: string;
  origin?: Origin;
  /** The origin as its source describes it (`Source.describeOrigin`). */
  description?: string;
}

/** Fields a {@link ConfigError} may carry besides its message. */
export interface ConfigErrorDetails {
  source?: string;
  path?: string;
  file?: string;
  line?: number;
  column?: number;
  issues?: ConfigIssue[];
  cause?: unknown;
}

/**
 * The brand every {@link ConfigError} carries, shared by every copy of livecfg loaded in one process
 * (the ESM and the CommonJS build, or two installed versions): `Symbol.for` returns the same symbol.
 */
const BRAND: unique symbol = Symbol.for('livecfg.ConfigError') as never;

/**
 * Whether `value` is a livecfg {@link ConfigError}, from this copy of livecfg or any other loaded in the
 * same process (an app that loads both the ESM and the CommonJS build gets two classes).
 *
 * @example
 * catch (e) { if (isConfigError(e) && e.code === 'NOT_FOUND') useDefaults() }
 */
export function isConfigError(value: unknown): value is ConfigError {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true
  );
}

/**
 * The one error type of livecfg. `code` is stable; `source`, `path`, `file`, `line` (1-based),
 * `column` (1-based) and `issues` are set where known.
 *
 * @example
 * try { await loadConfig({ sources: [file('app.yaml')] }) }
 * catch (e) { if (e instanceof ConfigError && e.code === 'PARSE') console.error(e.file, e.line) }
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code: ConfigErrorCode;
  readonly source?: string;
  readonly path?: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly issues?: ConfigIssue[];

  /**
   * `e instanceof ConfigError` holds for a ConfigError of any livecfg copy in the process (the brand);
   * for subclasses, the usual prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): value is ConfigError {
    // biome-ignore-start lint/complexity/noThisInStatic: the receiver is the class on the right of instanceof (a subclass too)
    return this === ConfigError
      ? isConfigError(value)
      : Function.prototype[Symbol.hasInstance].call(this, value);
    // biome-ignore-end lint/complexity/noThisInStatic: see above
  }

  static {
    Object.defineProperty(ConfigError.prototype, BRAND, { value: true });
  }

  constructor(code: ConfigErrorCode, message: string, details: ConfigErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.source !== undefined) this.source = details.source;
    if (details.path !== undefined) this.path = details.path;
    if (details.file !== undefined) this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
    if (details.issues !== undefined) this.issues = details.issues;
  }

  /** Returns a copy of this error naming the source (when it was not known where it was thrown), in `source` and the message. */
  withSource(source: string): ConfigError {
    if (this.source !== undefined) return this;
    const message = this.message.includes(source) ? this.message : `${source}: ${this.message}`;
    const copy = new ConfigError(this.code, message, { ...this.details(), source });
    copy.stack = this.stack;
    return copy;
  }

  private details(): ConfigErrorDetails {
    return {
      path: this.path,
      file: this.file,
      line: this.line,
      column: this.column,
      issues: this.issues,
      cause: this.cause,
    };
  }
}

/** Wraps any thrown value as a ConfigError, keeping ConfigErrors as they are. */
export function toConfigError(error: unknown, code: ConfigErrorCode, source: string): ConfigError {
  if (error instanceof ConfigError) return error.withSource(source);
  const message = error instanceof Error ? error.message : String(error);
  return new ConfigError(code, `${source}: ${message}`, { source, cause: error });
}
