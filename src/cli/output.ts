/** How the CLI prints values, explanations, changes and errors. Pure formatting: returns text. */
import { stringify as toYaml } from 'yaml';
import type { ConfigChange, ConfigRedaction, Explanation } from '../index.js';
import { formatPath, parsePath } from '../index.js';
import { ConfigError, OPTIONAL_HINT } from '../reader/errors.js';
import { originLocation } from '../reader/origin-text.js';
import type { Origin } from '../reader/provenance.js';
import { maskByRules } from '../redaction.js';
import type { Output } from './args.js';

/** What the CLI redacts through: the config's one redaction service, or {@link REVEAL} (`--show-secrets`). */
export type CliRedaction = Pick<ConfigRedaction, 'isSecret' | 'redact' | 'redactText' | 'redactChange'>;

/** `--show-secrets`: nothing is masked. */
export const REVEAL: CliRedaction = {
  isSecret: () => false,
  redact: (value) => value,
  redactText: (text) => text,
  redactChange: (change) => change,
};

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

/**
 * A whole document in the chosen format, newline-terminated. Text is one `path = value` line per leaf
 * (arrays and empty objects are leaves, printed inline); a string alone prints as it is.
 */
export function formatDocument(value: unknown, output: Output): string {
  if (output === 'yaml') return toYaml(value ?? null);
  if (output === 'json') return `${toJson(value)}\n`;
  if (typeof value === 'string') return `${value}\n`;
  if (!isBranch(value)) return `${inline(value)}\n`;
  const lines: string[] = [];
  const visit = (node: unknown, keys: string[]): void => {
    if (isBranch(node) && (keys.length === 0 || Object.keys(node).length > 0)) {
      for (const [key, child] of Object.entries(node)) visit(child, [...keys, key]);
    } else {
      lines.push(`${formatPath(keys)} = ${inline(node)}`);
    }
  };
  visit(value, []);
  return lines.length === 0 ? '(empty)\n' : `${lines.join('\n')}\n`;
}

function isBranch(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
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
export function formatExplanation(explanation: Explanation, output: Output, redaction: CliRedaction): string {
  const keys = parsePath(explanation.path);
  const secret = redaction.isSecret(keys);
  const view = {
    ...explanation,
    value: redaction.redact(explanation.value, keys),
    overridden: explanation.overridden.map((entry) => ({
      ...entry,
      value: redaction.redact(entry.value, keys),
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
  redaction: CliRedaction,
): ChangeView {
  const changes: ChangedPath[] = [];
  // Each tree judged against its own snapshot: an old password stays masked in `previous`.
  const redacted = redaction.redactChange(change);
  for (const path of change.changed) {
    const keys = parsePath(path);
    if (!related(keys, scope)) continue;
    const explanation = explain(keys);
    changes.push({
      path,
      previous: valueAt(redacted.previous, keys),
      value: valueAt(redacted.current, keys),
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
 * An error for people: a ConfigError's message (file:line:column first where known); validation issues
 * one per line. Errors of a config come redacted by its service (judged against the candidate they
 * rejected); `redaction` masks what is left, and secret shapes in other errors are masked by rule.
 */
export function formatError(error: unknown, redaction?: CliRedaction): string {
  const mask = (text: string): string => (redaction ? redaction.redactText(text) : maskByRules(text));
  if (!(error instanceof ConfigError)) return mask(error instanceof Error ? error.message : String(error));
  if (error.code !== 'VALIDATION' || !error.issues?.length) return mask(cliMessage(error));
  return error.issues
    .map((issue) => {
      const location = originLocation(issue.origin);
      const got = issue.value === undefined ? 'missing' : `got ${inline(issue.value)}`;
      const from = issue.source ? ` (from ${issue.description ?? issue.source})` : '';
      return mask(
        `${location ? `${location}: ` : ''}${issue.path || '(root)'}: ${issue.message}, ${got}${from}`,
      );
    })
    .join('\n');
}

/**
 * A library message in the CLI's terms: a missing document's hint names the command line's fix
 * instead of the `{ optional: true }` option, which the CLI does not offer.
 */
function cliMessage(error: ConfigError): string {
  if (error.code !== 'NOT_FOUND' || !error.message.endsWith(OPTIONAL_HINT)) return error.message;
  const message = error.message.slice(0, -OPTIONAL_HINT.length);
  const hint = error.file
    ? 'check the path given to -f; it is relative to the current directory'
    : 'check the key given to --consul-key or --etcd-key, or create it';
  return `${message} (${hint})`;
}
