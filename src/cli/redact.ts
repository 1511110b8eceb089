/**
 * Secret redaction for the CLI's output. Pure: no I/O, no schema libraries.
 *
 * A path is secret when
 * - one of its keys looks like a credential: a word of the key (split at camelCase humps, `_`, `-`,
 *   `.`, spaces) contains `password`, `passwd`, `secret` or `token`, or is/ends with `key`/`keys`
 *   (`apiKey`, `dbPassword`, `client_secret`, `accessToken`, `privatekey`, `sshKeys`), or
 * - it lies at or below a secret path pattern: dotted keys where `*` matches any one key
 *   (`databases.*.dsn`), from the schema's `.meta({ secret: true })`, a `secrets` export or `--secret`.
 *
 * Every leaf at or below a secret path is replaced by {@link REDACTED} (`null` stays `null`, so an
 * unset secret still reads as unset); the tree's shape stays visible.
 */

/** What a redacted value prints as. */
export const REDACTED = '[redacted]';

const SENSITIVE_WORD = /password|passwd|secret|token|keys?$/;

/** The words of a key: `dbPassword` → `db`, `password`; `API_KEY` → `api`, `key`. Lower-cased. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/** Whether a key's name marks its value as a secret (`apiKey`, `dbPassword`, `token`, `secrets`). */
export function isSecretKey(key: string): boolean {
  return keyWords(key).some((word) => SENSITIVE_WORD.test(word));
}

/** A compiled secret path pattern: keys, `*` matching any one key. */
type Pattern = readonly string[];

/** Splits a dotted pattern (`a.*.b`) into keys; quoted segments as in the CLI's paths are not needed here. */
function compilePattern(pattern: string | readonly string[]): Pattern {
  return typeof pattern === 'string' ? pattern.split('.').filter((key) => key !== '') : [...pattern];
}

/** Whether `pattern` matches `path` or one of its ancestors (a secret branch hides everything below it). */
function coversPath(pattern: Pattern, path: readonly string[]): boolean {
  if (pattern.length === 0 || pattern.length > path.length) return false;
  return pattern.every((key, index) => key === '*' || key === path[index]);
}

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** Secret path patterns (`db.password`, `tenants.*.apiSecret`, or key arrays). */
  paths?: readonly (string | readonly string[])[];
  /** Treat keys named like credentials as secret (default true). */
  byKeyName?: boolean;
  /** Reveal everything (`--show-secrets`): `redact` returns values unchanged. */
  reveal?: boolean;
}

/** Decides what is secret and masks it. */
export interface Redactor {
  /** Whether the value at `path` is secret (its own key, an ancestor's key, or a pattern). */
  isSecret(path: readonly string[]): boolean;
  /** A copy of `value` (found at `at`) with every secret leaf masked; `value` itself when nothing is. */
  redact(value: unknown, at?: readonly string[]): unknown;
}

/** Builds a {@link Redactor}. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const patterns = (options.paths ?? []).map(compilePattern).filter((pattern) => pattern.length > 0);
  const byKeyName = options.byKeyName ?? true;

  const isSecret = (path: readonly string[]): boolean =>
    (byKeyName && path.some(isSecretKey)) || patterns.some((pattern) => coversPath(pattern, path));

  const redact = (value: unknown, at: readonly string[]): unknown => {
    if (isSecret(at)) return mask(value);
    if (Array.isArray(value)) return redactEntries(value, at, redact, true);
    if (isBranch(value)) return redactEntries(value, at, redact, false);
    return value;
  };

  return {
    isSecret: (path) => !options.reveal && isSecret(path),
    redact: (value, at = []) => (options.reveal ? value : redact(value, at)),
  };
}

function isBranch(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** Redacts children; returns the original object when no child changed. */
function redactEntries(
  value: Record<string, unknown> | unknown[],
  at: readonly string[],
  redact: (value: unknown, at: readonly string[]) => unknown,
  array: boolean,
): unknown {
  let changed = false;
  const entries = Object.entries(value).map(([key, child]) => {
    const next = redact(child, [...at, key]);
    if (next !== child) changed = true;
    return [key, next] as const;
  });
  if (!changed) return value;
  return array ? entries.map(([, child]) => child) : Object.fromEntries(entries);
}

/** Masks every leaf of a secret value, keeping its shape; `null`/`undefined` stay as they are. */
export function mask(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(mask);
  if (isBranch(value))
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, mask(child)]));
  return REDACTED;
}
