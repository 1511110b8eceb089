/**
 * The redaction rules (DESIGN.md, "Redaction"), one set for the CLI, the Config, the inspector and
 * error messages. Pure: no I/O; the caller says where values came from (`originOf`) and which secret
 * texts it knows (`secretValues`, e.g. what resolvers produced).
 */
import type { Origin } from '../provenance.js';
import { isSecretKey } from './key-names.js';
import { compilePattern, coversPath, type SecretPath } from './patterns.js';
import { secretPathsOfSchema } from './schema-secrets.js';
import { HIDDEN_MESSAGE, maskSecretText } from './secret-text.js';
import { REDACTED, urlPasswords } from './url-password.js';

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** Secret path patterns: path texts (`db.password`, `tenants.*.dsn`, `labels."a.b"`, `["a","b.c"]`) or key arrays; `*` is any one key. */
  paths?: readonly SecretPath[];
  /** Treat keys named like credentials as secret (default true). */
  byKeyName?: boolean;
  /** Reveal everything (`--show-secrets`): nothing is masked. */
  reveal?: boolean;
  /** A schema whose `.meta({ secret: true })` (zod 4) or `metadata({ secret: true })` (valibot) marks paths. */
  schema?: unknown;
  /** Secret texts known to the caller (resolved values, earlier snapshots' secrets): masked wherever they appear. */
  secretValues?: () => Iterable<string>;
  /** The origin of the value at a path, when known: values interpolated from secret variables or resolved are secret. */
  originOf?: (path: readonly string[]) => Origin | undefined;
}

/** Decides what is secret and masks it. */
export interface Redactor {
  /** Whether the value at `path` is secret: a key name, a listed or schema-marked path, or its origin. */
  isSecretPath(path: readonly string[]): boolean;
  /** Whether a value with this origin is secret: interpolated from a secret-named variable, read from a secret-named env var or flag, or resolved. */
  isSecretOrigin(origin: Origin | undefined): boolean;
  /**
   * A copy of `value` (found at `basePath`, with `origin` when known) with every secret leaf replaced by
   * `[redacted]` (`null`/`undefined` stay, the shape stays), URL passwords masked and known secret texts
   * masked inside other strings. Returns `value` itself when nothing changed.
   */
  redactTree(value: unknown, basePath?: readonly string[], origin?: Origin): unknown;
  /**
   * Free text (an error message) with URL passwords and known secret texts masked. `extraSecrets` (e.g.
   * the value a validation message is about) are masked too; when one is too short to mask without
   * destroying the text, the whole text is replaced by a notice.
   */
  redactText(text: string, extraSecrets?: Iterable<string>): string;
  /**
   * The secret texts in `value` (found at `basePath`, with `origin`): every string or number leaf at a
   * secret path or origin, and every URL password. Feed them back through `secretValues` to mask them in
   * later messages and values.
   */
  secretsIn(value: unknown, basePath?: readonly string[], origin?: Origin): string[];
}

/** Builds a {@link Redactor}. Throws an `INVALID_ARGUMENT` ConfigError for a path text that cannot be read. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const listed = [...(options.paths ?? [])];
  if (options.schema !== undefined) listed.push(...secretPathsOfSchema(options.schema));
  const patterns = listed.map(compilePattern).filter((pattern) => pattern.length > 0);
  const byKeyName = options.byKeyName ?? true;
  const known = (): Iterable<string> => options.secretValues?.() ?? [];

  const isSecretOrigin = (origin: Origin | undefined): boolean => {
    if (!origin) return false;
    const fields = origin as Record<string, unknown>;
    if (fields.resolvedBy !== undefined) return true;
    if (!byKeyName) return false;
    const vars = fields.vars;
    if (Array.isArray(vars) && vars.some((name) => typeof name === 'string' && isSecretKey(name)))
      return true;
    return [fields.env, fields.flag].some((name) => typeof name === 'string' && isSecretKey(name));
  };

  /** Key names and patterns cover ancestors; the origin is judged at `path` only (callers walk down). */
  const isSecretPath = (path: readonly string[]): boolean =>
    (byKeyName && path.some(isSecretKey)) ||
    patterns.some((pattern) => coversPath(pattern, path)) ||
    (options.originOf !== undefined && path.length > 0 && isSecretOrigin(options.originOf(path)));

  /** Whether an ancestor's origin makes everything below it secret (a resolver that produced a branch). */
  const ancestorOriginIsSecret = (path: readonly string[]): boolean => {
    const { originOf } = options;
    if (originOf === undefined) return false;
    for (let end = 1; end < path.length; end++) if (isSecretOrigin(originOf(path.slice(0, end)))) return true;
    return false;
  };

  const redactLeaf = (value: unknown, secrets: readonly string[]): unknown => {
    if (typeof value === 'string') return maskSecretText(value, secrets);
    if (typeof value === 'number' || typeof value === 'bigint') {
      return secrets.includes(String(value)) ? REDACTED : value;
    }
    return value;
  };

  const redact = (value: unknown, path: readonly string[], secrets: readonly string[]): unknown => {
    if (isSecretPath(path)) return mask(value);
    if (Array.isArray(value) || isBranch(value)) {
      return redactEntries(value, path, (child, at) => redact(child, at, secrets));
    }
    return redactLeaf(value, secrets);
  };

  const collect = (value: unknown, path: readonly string[], secret: boolean, into: string[]): void => {
    const here = secret || isSecretPath(path);
    if (Array.isArray(value) || isBranch(value)) {
      for (const [key, child] of Object.entries(value)) collect(child, [...path, key], here, into);
      return;
    }
    if (typeof value === 'string') {
      if (here) into.push(value);
      into.push(...urlPasswords(value));
    } else if (here && (typeof value === 'number' || typeof value === 'bigint')) {
      into.push(String(value));
    }
  };

  return {
    isSecretPath: (path) => !options.reveal && (isSecretPath(path) || ancestorOriginIsSecret(path)),
    isSecretOrigin: (origin) => !options.reveal && isSecretOrigin(origin),
    redactTree(value, basePath = [], origin) {
      if (options.reveal) return value;
      if (isSecretOrigin(origin) || ancestorOriginIsSecret(basePath)) return mask(value);
      return redact(value, basePath, [...known()]);
    },
    redactText(text, extraSecrets = []) {
      if (options.reveal) return text;
      // Secrets the caller names for this text (an issue's own value) are matched whatever their length.
      const strict = maskSecretText(text, extraSecrets, true);
      return strict === HIDDEN_MESSAGE ? strict : maskSecretText(strict, known());
    },
    secretsIn(value, basePath = [], origin) {
      const found: string[] = [];
      collect(value, basePath, isSecretOrigin(origin) || ancestorOriginIsSecret(basePath), found);
      return found;
    },
  };
}

/** Whether a value is an object the redactor descends into (not an array, not a Date). */
function isBranch(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** Redacts children; returns the original object when no child changed. */
function redactEntries(
  value: Record<string, unknown> | unknown[],
  at: readonly string[],
  redact: (value: unknown, at: readonly string[]) => unknown,
): unknown {
  let changed = false;
  const entries = Object.entries(value).map(([key, child]) => {
    const next = redact(child, [...at, key]);
    if (next !== child) changed = true;
    return [key, next] as const;
  });
  if (!changed) return value;
  return Array.isArray(value) ? entries.map(([, child]) => child) : Object.fromEntries(entries);
}

/** Masks every leaf of a secret value, keeping its shape; `null`/`undefined` stay as they are. */
export function mask(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(mask);
  if (isBranch(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, mask(child)]));
  }
  return REDACTED;
}
