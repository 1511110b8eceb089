/**
 * The inspector's redaction: the config's own rules (`isSecret`, `redact`, `redactText`) plus the
 * extra secret paths of the `secrets` option, read with livecfg's public redactor (same pattern
 * syntax as everywhere: `tenants.*.dsn`, `labels."a.b"`, key arrays). Every body goes through here.
 */
import { ConfigError } from '../index.js';
import { createRedactor, mask, REDACTED, type Redactor } from '../redaction.js';
import type { InspectedConfig } from './types.js';

export { REDACTED };

/** Redaction rules of one inspector. */
export class Redaction {
  /** The extra paths only (key names and the rest are the config's job). */
  private readonly extra: Redactor | undefined;
  /** Secret texts found at the extra paths, per config version, masked wherever they appear. */
  private extraValues: { version: number; values: string[] } | undefined;

  constructor(
    private readonly config: InspectedConfig,
    paths: readonly (string | readonly string[])[] = [],
  ) {
    if (paths.length === 0) return;
    try {
      this.extra = createRedactor({ paths, byKeyName: false, secretValues: () => this.extraSecretValues() });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ConfigError('INVALID_ARGUMENT', `inspector: secrets: ${message}`);
    }
  }

  /** Whether the value at `path` (keys) is secret. */
  isSecret(path: readonly string[]): boolean {
    return (this.extra?.isSecretPath(path) ?? false) || this.config.isSecret(path);
  }

  /** A copy of `value` (found at `path`) with every secret leaf masked and URL passwords hidden. */
  value(value: unknown, path: readonly string[] = []): unknown {
    if (this.isSecret(path)) return mask(value);
    const redacted = this.config.redact(value, path);
    return this.extra ? this.extra.redactTree(redacted, path) : redacted;
  }

  /** Free text (error messages, source names) with known secret values and URL passwords masked. */
  text(text: string): string {
    const redacted = this.config.redactText(text);
    return this.extra ? this.extra.redactText(redacted) : redacted;
  }

  private extraSecretValues(): readonly string[] {
    const version = this.config.version;
    if (this.extraValues?.version !== version) {
      const values = this.extra?.secretsIn(this.config.value) ?? [];
      this.extraValues = { version, values };
    }
    return this.extraValues.values;
  }
}
