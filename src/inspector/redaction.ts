/**
 * The inspector's redaction: the config's own rules (`isSecret`, `redact`, `redactText`) plus the
 * extra secret paths of the `secrets` option. Every body the inspector sends goes through here.
 */
import type { InspectedConfig } from './types.js';

/** What a secret shows as. */
export const REDACTED = '[redacted]';

type Pattern = readonly string[];

function compile(pattern: string | readonly string[]): Pattern {
  return typeof pattern === 'string' ? pattern.split('.').filter((key) => key !== '') : [...pattern];
}

/** Whether `pattern` covers `path` or one of its ancestors (`*` matches any one key). */
function covers(pattern: Pattern, path: readonly string[]): boolean {
  if (pattern.length === 0 || pattern.length > path.length) return false;
  return pattern.every((key, index) => key === '*' || key === path[index]);
}

function isBranch(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every leaf replaced by {@link REDACTED}, shape kept; `null` and `undefined` stay (an unset secret reads as unset). */
export function mask(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(mask);
  if (isBranch(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, mask(child)]));
  }
  return REDACTED;
}

/** Redaction rules of one inspector. */
export class Redaction {
  private readonly patterns: Pattern[];
  /** Secret strings found at the extra paths, per config version, for masking free text. */
  private extraValues: { version: number; values: string[] } | undefined;

  constructor(
    private readonly config: InspectedConfig,
    extra: readonly (string | readonly string[])[] = [],
  ) {
    this.patterns = extra.map(compile).filter((pattern) => pattern.length > 0);
  }

  /** Whether the value at `path` (keys) is secret. */
  isSecret(path: readonly string[]): boolean {
    return this.coveredByExtra(path) || this.config.isSecret(path);
  }

  /** A copy of `value` (found at `path`) with every secret leaf masked and URL passwords hidden. */
  value(value: unknown, path: readonly string[] = []): unknown {
    if (this.isSecret(path)) return mask(value);
    const redacted = this.config.redact(value, path);
    return this.patterns.length === 0 ? redacted : this.applyExtra(redacted, path);
  }

  /** Free text (error messages, source names) with known secret values and URL passwords masked. */
  text(text: string): string {
    let result = this.config.redactText(text);
    for (const secret of this.extraSecretValues()) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  private coveredByExtra(path: readonly string[]): boolean {
    return this.patterns.some((pattern) => covers(pattern, path));
  }

  private applyExtra(value: unknown, path: readonly string[]): unknown {
    if (this.coveredByExtra(path)) return mask(value);
    if (!Array.isArray(value) && !isBranch(value)) return value;
    let changed = false;
    const entries = Object.entries(value).map(([key, child]) => {
      const next = this.applyExtra(child, [...path, key]);
      if (next !== child) changed = true;
      return [key, next] as const;
    });
    if (!changed) return value;
    return Array.isArray(value) ? entries.map(([, child]) => child) : Object.fromEntries(entries);
  }

  /** The string leaves at the extra secret paths in the current snapshot (4+ characters, longest first). */
  private extraSecretValues(): readonly string[] {
    if (this.patterns.length === 0) return [];
    const version = this.config.version;
    if (this.extraValues?.version !== version) {
      const found = new Set<string>();
      const walk = (value: unknown, path: string[], secret: boolean): void => {
        const isSecret = secret || this.coveredByExtra(path);
        if (typeof value === 'string' || typeof value === 'number') {
          const text = String(value);
          if (isSecret && text.length >= 4) found.add(text);
        } else if (Array.isArray(value) || isBranch(value)) {
          for (const [key, child] of Object.entries(value)) walk(child, [...path, key], isSecret);
        }
      };
      walk(this.config.value, [], false);
      this.extraValues = { version, values: [...found].sort((a, b) => b.length - a.length) };
    }
    return this.extraValues.values;
  }
}
