import { createRedactor, REDACTED } from './cli/redact.js';
import { schemaSecretPaths } from './cli/schema-secrets.js';
import { contributionsAt, type Layer } from './reader/layers.js';
import { isPlainObject } from './reader/tree.js';

/** What the redaction of one config needs to know about its current snapshot. */
export interface RedactionView {
  value(): unknown;
  version(): number;
  layers(): readonly Layer[];
}

const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:)([^\s/?#@]+)(@)/gi;

/** Masks the userinfo password of every URL in `text` (`postgres://app:pw@db` → `postgres://app:[redacted]@db`). */
export function maskUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, `$1${REDACTED}$3`);
}

/**
 * The redaction rules of one config: key names, schema marks, extra paths, values a resolver produced
 * and values interpolated from secret-named variables; URL passwords anywhere.
 */
export class ConfigRedaction {
  private readonly rules;
  private secretTexts: { version: number; texts: string[] } | undefined;

  constructor(
    private readonly view: RedactionView,
    schema: unknown,
    extraPaths: readonly string[] = [],
  ) {
    this.rules = createRedactor({ paths: [...(schema ? schemaSecretPaths(schema) : []), ...extraPaths] });
  }

  /** Whether the value at `path` is secret. */
  isSecret(path: readonly string[]): boolean {
    if (this.rules.isSecret(path)) return true;
    for (let end = path.length; end >= 1; end--) {
      const winner = contributionsAt(this.view.layers(), path.slice(0, end))[0];
      const origin = winner?.origin as { resolvedBy?: unknown; vars?: unknown } | undefined;
      if (origin?.resolvedBy !== undefined) return true;
      if (Array.isArray(origin?.vars) && origin.vars.some((name) => this.rules.isSecret([String(name)]))) {
        return true;
      }
    }
    return false;
  }

  /** A copy of `value` (found at `path`) with every secret leaf masked and URL passwords hidden. */
  redact(value: unknown, path: readonly string[] = []): unknown {
    if (value === null || value === undefined) return value;
    if (this.isSecret(path)) return mask(value);
    if (typeof value === 'string') return maskUrlPasswords(value);
    if (Array.isArray(value)) return value.map((item, index) => this.redact(item, [...path, String(index)]));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) out[key] = this.redact(value[key], [...path, key]);
      return out;
    }
    return value;
  }

  /** `text` with every secret value of the current snapshot and every URL password masked. */
  redactText(text: string): string {
    let out = maskUrlPasswords(text);
    for (const secret of this.currentSecretTexts()) out = out.split(secret).join(REDACTED);
    return out;
  }

  private currentSecretTexts(): string[] {
    const version = this.view.version();
    if (this.secretTexts?.version === version) return this.secretTexts.texts;
    const texts = new Set<string>();
    const visit = (node: unknown, path: string[], secret: boolean): void => {
      const isSecret = secret || this.isSecret(path);
      if (isPlainObject(node) || Array.isArray(node)) {
        for (const key of Object.keys(node)) {
          visit((node as Record<string, unknown>)[key], [...path, key], isSecret);
        }
        return;
      }
      if (isSecret && node !== null && node !== undefined) {
        const text = String(node);
        if (text.length >= 3) texts.add(text);
      }
    };
    visit(this.view.value(), [], false);
    for (const layer of this.view.layers()) visit(layer.data, [], false);
    // Longest first, so that a secret containing another is masked whole.
    const sorted = [...texts].sort((a, b) => b.length - a.length);
    this.secretTexts = { version, texts: sorted };
    return sorted;
  }
}

function mask(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(mask);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = mask(value[key]);
    return out;
  }
  return REDACTED;
}
