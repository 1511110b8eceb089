import { ConfigError } from '../reader/errors.js';
import { contributionsAt, type Layer } from '../reader/layers.js';
import { toPath } from '../reader/path.js';
import { createRedactor, mask, type Redactor } from '../reader/redaction/index.js';

/** What the redaction of one config needs to know about its current snapshot. */
export interface RedactionView {
  value(): unknown;
  version(): number;
  layers(): readonly Layer[];
}

/**
 * The redaction rules of one config (src/reader/redaction): key names, schema marks, the `secrets`
 * option, values a resolver produced and values interpolated from secret-named variables; URL
 * passwords anywhere. Secret texts of the current snapshot (and of every layer) are masked in free text.
 */
export class ConfigRedaction {
  private readonly rules: Redactor;
  private secretTexts: { version: number; texts: string[] } | undefined;

  constructor(
    private readonly view: RedactionView,
    schema: unknown,
    extraPaths: readonly string[] = [],
  ) {
    this.rules = createRedactor({
      schema,
      paths: extraPaths,
      originOf: (path) => contributionsAt(view.layers(), path)[0]?.origin,
      secretValues: () => this.currentSecretTexts(),
    });
  }

  /** Whether the value at `path` is secret (its own rules, or a secret ancestor's origin). */
  isSecret(path: readonly string[]): boolean {
    for (let end = path.length; end >= 0; end--) {
      if (this.rules.isSecretPath(path.slice(0, end))) return true;
    }
    return false;
  }

  /** A copy of `value` (found at `path`) with every secret leaf masked and URL passwords hidden. */
  redact(value: unknown, path: readonly string[] = []): unknown {
    if (path.length > 0 && this.isSecret(path)) return mask(value);
    return this.rules.redactTree(value, path);
  }

  /** `text` with every secret value of the current config and every URL password masked. */
  redactText(text: string): string {
    return this.rules.redactText(text);
  }

  /**
   * The error with secrets masked: its message (with the values of issues at secret paths, which the
   * snapshot may not hold yet), and the values of those issues.
   */
  redactError<E>(error: E): E {
    if (!(error instanceof ConfigError)) return error;
    const extra: string[] = [];
    const issues = error.issues?.map((issue) => {
      if (issue.value === undefined || !this.isSecret(toPath(issue.path))) return issue;
      extra.push(...this.rules.secretsIn(issue.value, toPath(issue.path), { resolvedBy: 'issue' }));
      return { ...issue, value: mask(issue.value), message: this.rules.redactText(issue.message, extra) };
    });
    const message = this.rules.redactText(error.message, extra);
    if (message === error.message && issues === error.issues) return error;
    const copy = new ConfigError(error.code, message, {
      source: error.source,
      path: error.path,
      file: error.file,
      line: error.line,
      column: error.column,
      issues,
      cause: error.cause,
    });
    copy.stack = `${copy.name}: ${message}`;
    return copy as E;
  }

  private currentSecretTexts(): string[] {
    const version = this.view.version();
    if (this.secretTexts?.version === version) return this.secretTexts.texts;
    // Mark the cache first: secretsIn consults secretValues (this method) again.
    this.secretTexts = { version, texts: [] };
    const texts = new Set<string>(this.rules.secretsIn(this.view.value()));
    for (const layer of this.view.layers())
      for (const text of this.rules.secretsIn(layer.data)) texts.add(text);
    const sorted = [...texts].sort((a, b) => b.length - a.length);
    this.secretTexts = { version, texts: sorted };
    return sorted;
  }
}
