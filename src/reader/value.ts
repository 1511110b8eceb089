import { toArray, toBoolean, toNumber } from './coerce-scalar.js';
import { parseDuration } from './duration.js';
import { ConfigError } from './errors.js';
import { formatPath, parsePath } from './path.js';
import { issuePath, type StandardSchemaV1 } from './standard-schema.js';
import { isPlainObject } from './tree.js';

/**
 * A value at one path, with go-config style accessors: each takes the fallback to return when the
 * key is missing or its value cannot be converted.
 *
 * @example
 * config.at('server.timeout').duration(5000) // "1m30s" → 90000; missing → 5000
 */
export class Value {
  constructor(
    private readonly value: unknown,
    private readonly path: string,
  ) {}

  /** Whether the key exists (a `null` value exists). */
  exists(): boolean {
    return this.value !== undefined;
  }

  /** The value as stored in the snapshot (frozen), or `undefined`. */
  raw(): unknown {
    return this.value;
  }

  /** A string; numbers, booleans and bigints are stringified. */
  string(fallback: string): string;
  string(fallback?: string): string | undefined;
  string(fallback?: string): string | undefined {
    const value = this.value;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
      return String(value);
    return fallback;
  }

  /** A finite or infinite number; numeric strings convert (`"8080"` → 8080). */
  number(fallback: number): number;
  number(fallback?: number): number | undefined;
  number(fallback?: number): number | undefined {
    return toNumber(this.value) ?? fallback;
  }

  /** An integer; a non-integral number or string returns the fallback. */
  int(fallback: number): number;
  int(fallback?: number): number | undefined;
  int(fallback?: number): number | undefined {
    const number = toNumber(this.value);
    return number !== undefined && Number.isInteger(number) ? number : fallback;
  }

  /** A boolean; accepts `true/false`, `1/0`, `yes/no`, `on/off` (any case) and 1/0. */
  bool(fallback: boolean): boolean;
  bool(fallback?: boolean): boolean | undefined;
  bool(fallback?: boolean): boolean | undefined {
    return toBoolean(this.value) ?? fallback;
  }

  /** A duration in milliseconds: a number (ms) or a Go-style string ("1h2m3.5s", "250ms"). */
  duration(fallback: number): number;
  duration(fallback?: number): number | undefined;
  duration(fallback?: number): number | undefined {
    const value = this.value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : fallback;
    if (typeof value === 'string') return parseDuration(value) ?? fallback;
    return fallback;
  }

  /** An array of strings: an array of scalars, a JSON array string or a comma-separated list. */
  stringArray(fallback: string[]): string[];
  stringArray(fallback?: string[]): string[] | undefined;
  stringArray(fallback?: string[]): string[] | undefined {
    const items = toArray(this.value);
    if (items === undefined || !items.every(isScalar)) return fallback;
    return items.map(String);
  }

  /** A map of strings: an object whose values are all scalars (stringified). */
  stringMap(fallback: Record<string, string>): Record<string, string>;
  stringMap(fallback?: Record<string, string>): Record<string, string> | undefined;
  stringMap(fallback?: Record<string, string>): Record<string, string> | undefined {
    const value = this.value;
    if (!isPlainObject(value)) return fallback;
    const entries = Object.entries(value);
    if (!entries.every(([, item]) => isScalar(item))) return fallback;
    return Object.fromEntries(entries.map(([key, item]) => [key, String(item)]));
  }

  /**
   * Validates the subtree with a (synchronous) Standard Schema and returns its output.
   * Throws a `VALIDATION` ConfigError naming the path and each issue.
   */
  parse<S extends StandardSchemaV1>(schema: S): StandardSchemaV1.InferOutput<S> {
    const result = schema['~standard'].validate(this.value);
    if (result instanceof Promise) {
      throw new ConfigError('INVALID_ARGUMENT', `${this.path}: Value.parse needs a synchronous schema`, {
        path: this.path,
      });
    }
    if (result.issues) {
      const issues = result.issues.map((issue) => {
        const path = formatPath([...parsePath(this.path), ...issuePath(issue)]);
        return { path, message: issue.message };
      });
      const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
      throw new ConfigError('VALIDATION', summary, { path: this.path, issues });
    }
    return result.value as StandardSchemaV1.InferOutput<S>;
  }
}

function isScalar(value: unknown): value is string | number | boolean | bigint {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  );
}
