/**
 * The redacted JSON views the inspector sends: explanations, history entries, errors, source health,
 * and a one-line description of an origin for the page.
 */
import type { ConfigError, Explanation, HistoryEntry, ConfigRedaction as Redaction } from '../index.js';
import { parseDottedPath } from './paths.js';
import type { InspectedHistoryEntry, InspectedSourceStatus } from './types.js';

function field(origin: unknown, key: string): unknown {
  return origin !== null && typeof origin === 'object' ? (origin as Record<string, unknown>)[key] : undefined;
}

/**
 * A short description of where a value came from: `config/app.yaml:3:9`, `env APP_PORT`,
 * `flag --port`, `consul config/app/port (ModifyIndex 42)`, `etcd app/port (revision 7)`, `default`, `set()`.
 */
export function describeOrigin(origin: unknown, source: string | undefined): string {
  const file = field(origin, 'file');
  const line = field(origin, 'line');
  const column = field(origin, 'column');
  const at = typeof line === 'number' ? (typeof column === 'number' ? `:${line}:${column}` : `:${line}`) : '';
  const vars = field(origin, 'vars');
  const via = Array.isArray(vars) && vars.length > 0 ? ` via \${${vars.join('}, ${')}}` : '';
  if (typeof file === 'string') return `${file}${at}${via}`;
  const env = field(origin, 'env');
  if (typeof env === 'string') return `env ${env}`;
  const flag = field(origin, 'flag');
  if (typeof flag === 'string') return `flag ${flag}`;
  const consulKey = field(origin, 'consulKey');
  if (typeof consulKey === 'string') {
    return `consul ${consulKey}${at} (ModifyIndex ${String(field(origin, 'modifyIndex'))})${via}`;
  }
  const etcdKey = field(origin, 'etcdKey');
  if (typeof etcdKey === 'string') {
    return `etcd ${etcdKey}${at} (revision ${String(field(origin, 'modRevision'))})${via}`;
  }
  if (field(origin, 'default') === true) return source === 'schema' ? 'schema default' : 'default';
  if (field(origin, 'set') === true) return 'set()';
  if (field(origin, 'memory') === true) return source && source !== 'memory' ? `memory ${source}` : 'memory';
  return source ?? 'unknown';
}

/** Keys of a dotted path as livecfg writes it; an unparsable one is taken as one key. */
export function keysOf(path: string): string[] {
  return parseDottedPath(path) ?? [path];
}

/** An origin with its string fields masked like free text (a URL-looking key could carry a password). */
export function originView(origin: unknown, redaction: Redaction): unknown {
  if (origin === null || typeof origin !== 'object') return origin;
  return Object.fromEntries(
    Object.entries(origin).map(([key, value]) => [
      key,
      typeof value === 'string' ? redaction.redactText(value) : value,
    ]),
  );
}

/** An explanation with every value redacted (the winner's and the overridden ones). */
export function explanationView(explanation: Explanation, keys: readonly string[], redaction: Redaction) {
  const view: Record<string, unknown> = {
    ...explanation,
    // A key may be a URL with credentials (`"https://user:pw@up": …`).
    path: redaction.redactText(explanation.path),
    value: redaction.redact(explanation.value, keys),
    source: explanation.source === undefined ? undefined : redaction.redactText(explanation.source),
    origin: originView(explanation.origin, redaction),
    overridden: explanation.overridden.map((layer) => ({
      ...layer,
      source: redaction.redactText(layer.source),
      origin: originView(layer.origin, redaction),
      value: redaction.redact(layer.value, keys),
      describedOrigin: redaction.redactText(describeOrigin(layer.origin, layer.source)),
    })),
    describedOrigin: redaction.redactText(describeOrigin(explanation.origin, explanation.source)),
    secret: redaction.isSecret(keys),
  };
  return view;
}

/** The JSON of one history entry as the inspector sends it. */
export interface HistoryView {
  version: number;
  timestamp: string;
  source: string;
  changes: Array<{
    path: string;
    previous: unknown;
    value: unknown;
    source: string | undefined;
    origin: unknown;
    describedOrigin: string;
  }>;
}

/** A history entry with the previous and new values redacted against both snapshots of its change. */
export function historyView(entry: InspectedHistoryEntry, redaction: Redaction): HistoryView {
  const redacted = redaction.redactHistoryEntry(entry as HistoryEntry);
  return {
    version: redacted.version,
    timestamp: redacted.timestamp,
    source: redacted.source,
    changes: redacted.changes.map((change) => ({
      path: change.path,
      previous: change.previous,
      value: change.value,
      source: change.source,
      origin: change.origin,
      describedOrigin:
        change.value === undefined
          ? 'removed'
          : redaction.redactText(describeOrigin(change.origin, change.source)),
    })),
  };
}

/** A rejected edit or a source failure: code, source, where, and the message with secrets masked. */
export function errorView(error: ConfigError, redaction: Redaction, seq: number) {
  return {
    seq,
    time: new Date().toISOString(),
    code: error.code,
    source: error.source === undefined ? undefined : redaction.redactText(error.source),
    message: redaction.redactText(error.message),
    path: error.path,
    file: error.file,
    line: error.line,
    column: error.column,
    issues: error.issues?.map((issue) => ({
      path: issue.path,
      message: redaction.redactText(issue.message),
    })),
  };
}

/** Source health with names and error messages masked. */
export function sourcesView(sources: readonly InspectedSourceStatus[], redaction: Redaction) {
  return sources.map((status) => ({
    name: redaction.redactText(status.name),
    status: status.status,
    lastReadAt: status.lastReadAt,
    lastChangeAt: status.lastChangeAt,
    lastError: status.lastError && {
      code: status.lastError.code,
      message: redaction.redactText(status.lastError.message),
    },
  }));
}
