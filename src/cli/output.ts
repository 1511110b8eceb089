/** How the CLI prints values, explanations, changes and errors. Pure formatting: returns text. */
import { stringify as toYaml } from 'yaml';
import type { ConfigChange, Explanation } from '../index.js';
import { parsePath } from '../index.js';
import { ConfigError } from '../reader/errors.js';
import { originLocation } from '../reader/origin-text.js';
import type { Origin } from '../reader/provenance.js';
import type { Redactor } from '../reader/redaction/index.js';
import type { Output } from './args.js';
import type { CliRedaction } from './redaction.js';

/** JSON (indented unless `compact`) that also prints bigints (as strings) and a top-level `undefined` as `null`. */
export function toJson(value: unknown, compact = false): string {
  const indent = compact ? undefined : 2;
  return (
    JSON.stringify(
      value ?? null,
      (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item),
      indent,
    ) ?? 'null'
  );
}

/** A value compactly for one-line text (`"Hello"`, `8080`, `{"a":1}`). */
export function inline(value: unknown): string {
  return value === undefined ? '(unset)' : toJson(value, true);
}

/** A whole document in the chosen format, newline-terminated. */
export function formatDocument(value: unknown, output: Output): string {
  if (output === 'yaml') return toYaml(value ?? null);
  if (output === 'text' && typeof value === 'string') return `${value}\n`;
  if (output === 'text' && (value === null || typeof value !== 'object')) return `${inline(value)}\n`;
  return `${toJson(value)}\n`;
}

/**
 * A source and its own description of the origin (`Explanation.description`, from the source's
 * `describeOrigin`): `file:app.yaml (app.yaml:3:9)`, `env:APP_ (env APP_PORT)`.
 */
export function describeSource(source: string | undefined, description: string | undefined): string {
  if (source === undefined) return '(no source)';
  return description === undefined || description === source ? source : `${source} (${description})`;
}

/** `explain PATH`, redacted. Text is for people; json/yaml keep the library's structure. */
export function formatExplanation(explanation: Explanation, output: Output, redactor: Redactor): string {
  const keys = parsePath(explanation.path);
  const secret = redactor.isSecretPath(keys) || redactor.isSecretOrigin(explanation.origin);
  const view = {
    ...explanation,
    value: redactor.redactTree(explanation.value, keys, explanation.origin),
    overridden: explanation.overridden.map((entry) => ({
      ...entry,
      value: redactor.redactTree(entry.value, keys, entry.origin),
    })),
  };
  if (output !== 'text') return formatDocument(view, output);
  const lines = [
    `${explanation.path || '(root)'} = ${inline(view.value)}${secret ? '  (secret)' : ''}`,
    `  from ${describeSource(view.source, view.description)}`,
  ];
  if (view.overridden.length > 0) {
    lines.push('  overrides (highest priority first):');
    for (const entry of view.overridden) {
      lines.push(`    ${inline(entry.value)} from ${describeSource(entry.source, entry.description)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One changed path of a published change, with the source that now supplies it. */
export interface ChangedPath {
  path: string;
  previous: unknown;
  value: unknown;
  source: string | undefined;
  origin: Origin | undefined;
  description: string | undefined;
}

/** A published change as `watch` prints it. */
export interface ChangeView {
  version: number;
  /** What triggered the reload (a source's name, or several joined with commas). */
  trigger: string;
  changes: ChangedPath[];
}

/** Builds the view of a change: every changed path under `scope`, redacted, with its winning source. */
export function changeView(
  change: ConfigChange,
  scope: readonly string[],
  explain: (keys: string[]) => Explanation,
  redactor: Redactor,
): ChangeView {
  const changes: ChangedPath[] = [];
  for (const path of change.changed) {
    const keys = parsePath(path);
    if (!related(keys, scope)) continue;
    const explanation = explain(keys);
    changes.push({
      path,
      previous: redactor.redactTree(valueAt(change.previous, keys), keys),
      value: redactor.redactTree(explanation.value, keys, explanation.origin),
      source: explanation.source,
      origin: explanation.origin,
      description: explanation.description,
    });
  }
  return { version: change.version, trigger: change.source, changes };
}

/** `watch` output for one change: a block of text, one JSON line, or one YAML document. */
export function formatChange(view: ChangeView, output: Output): string {
  if (output === 'json') return `${toJson(view, true)}\n`;
  if (output === 'yaml') return `---\n${toYaml(view)}`;
  const count = view.changes.length === 1 ? '1 change' : `${view.changes.length} changes`;
  const lines = [`v${view.version} ${new Date().toISOString()} ${count} (${view.trigger})`];
  for (const item of view.changes) {
    lines.push(
      `  ${item.path}: ${inline(item.previous)} → ${inline(item.value)}  from ${describeSource(item.source, item.description)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Whether a changed path is at, above or below the watched scope. */
function related(path: readonly string[], scope: readonly string[]): boolean {
  const length = Math.min(path.length, scope.length);
  for (let index = 0; index < length; index++) if (path[index] !== scope[index]) return false;
  return true;
}

function valueAt(tree: unknown, keys: readonly string[]): unknown {
  let node = tree;
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * An error for people, with every secret masked: a ConfigError's message (file:line:column first where
 * known); validation issues are rebuilt so that the offending value of a secret is redacted, and a
 * schema message that repeats a secret (zod custom messages, valibot's "received …") is masked too.
 * The secrets found in the issues are remembered for later output.
 */
export function formatError(error: unknown, redaction: CliRedaction): string {
  const { redactor } = redaction;
  if (!(error instanceof ConfigError)) {
    return redactor.redactText(error instanceof Error ? error.message : String(error));
  }
  if (error.code !== 'VALIDATION' || !error.issues?.length) return redactor.redactText(error.message);
  const issues = error.issues.map((issue) => {
    const keys = parsePath(issue.path);
    const secrets = redactor.secretsIn(issue.value, keys, issue.origin);
    redaction.remember(issue.value, keys, issue.origin);
    return { issue, keys, secrets };
  });
  return issues
    .map(({ issue, keys, secrets }) => {
      const location = originLocation(issue.origin);
      const value = redactor.redactTree(issue.value, keys, issue.origin);
      const got = issue.value === undefined ? 'missing' : `got ${inline(value)}`;
      const from = issue.source ? ` (from ${issue.description ?? issue.source})` : '';
      const message = redactor.redactText(issue.message, secrets);
      return `${location ? `${location}: ` : ''}${issue.path || '(root)'}: ${message}, ${got}${from}`;
    })
    .join('\n');
}
