/**
 * The redacted JSON views the inspector sends: explanations, history entries, errors, source health,
 * and a one-line description of an origin for the page.
 */
import type { ConfigError, Explanation } from '../index.js';
import { parsePath } from '../index.js';
import type { Redaction } from './redaction.js';
import type { InspectedHistoryEntry, InspectedSourceStatus } from './types.js';

/** Keys of a path as livecfg writes it (the one grammar, `parsePath`). */
export function keysOf(path: string): string[] {
  return parsePath(path);
}

/** An origin with its string fields masked like free text (a URL-looking key could carry a password). */
export function originView(origin: unknown, redaction: Redaction): unknown {
  if (origin === null || typeof origin !== 'object') return origin;
  return Object.fromEntries(
    Object.entries(origin).map(([key, value]) => [
      key,
      typeof value === 'string' ? redaction.text(value) : value,
    ]),
  );
}

/** An explanation with every value redacted (the winner's and the overridden ones). */
export function explanationView(explanation: Explanation, keys: readonly string[], redaction: Redaction) {
  const view: Record<string, unknown> = {
    ...explanation,
    value: redaction.value(explanation.value, keys),
    source: explanation.source === undefined ? undefined : redaction.text(explanation.source),
    origin: originView(explanation.origin, redaction),
    overridden: explanation.overridden.map((layer) => ({
      ...layer,
      source: redaction.text(layer.source),
      origin: originView(layer.origin, redaction),
      value: redaction.value(layer.value, keys),
      describedOrigin: redaction.text(layer.description),
    })),
    describedOrigin: redaction.text(explanation.description ?? explanation.source ?? 'unknown'),
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
  /** How many more leaves changed than `changes` lists. */
  more?: number;
}

/** A history entry with the previous and new values redacted. */
export function historyView(entry: InspectedHistoryEntry, redaction: Redaction): HistoryView {
  return {
    version: entry.version,
    timestamp: entry.timestamp,
    source: redaction.text(entry.source),
    changes: entry.changes.map((change) => {
      const keys = keysOf(change.path);
      const source = change.source === undefined ? undefined : redaction.text(change.source);
      return {
        path: change.path,
        previous: redaction.value(change.previous, keys),
        value: redaction.value(change.value, keys),
        source,
        origin: originView(change.origin, redaction),
        describedOrigin:
          change.value === undefined ? 'removed' : redaction.text(change.description ?? source ?? 'unknown'),
      };
    }),
    ...(entry.more ? { more: entry.more } : {}),
  };
}

/** A rejected edit or a source failure as the inspector sends it (`id` is `instance:seq`). */
export interface ErrorView {
  id: string;
  instance: string;
  seq: number;
  time: string;
  code: string;
  source: string | undefined;
  message: string;
  path: string | undefined;
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;
  /** Every issue, with where its value came from (`config/app.yaml:12:3`, `env APP_PORT`) when known. */
  issues: Array<{ path: string; message: string; where?: string }> | undefined;
  /** Set once a later version publishes from the same source. */
  resolved?: { version: number; at: string };
}

/** A rejected edit or a source failure: code, source, where, and the message with secrets masked. */
export function errorView(
  error: ConfigError,
  redaction: Redaction,
  instance: string,
  seq: number,
): ErrorView {
  return {
    id: `${instance}:${seq}`,
    instance,
    seq,
    time: new Date().toISOString(),
    code: error.code,
    source: error.source === undefined ? undefined : redaction.text(error.source),
    message: redaction.text(error.message),
    path: error.path,
    file: error.file,
    line: error.line,
    column: error.column,
    issues: error.issues?.map((issue) => ({
      path: issue.path,
      message: redaction.text(issue.message),
      ...(issue.description || issue.source
        ? { where: redaction.text(issue.description ?? issue.source ?? '') }
        : {}),
    })),
  };
}

/** Source health with names and error messages masked. */
export function sourcesView(sources: readonly InspectedSourceStatus[], redaction: Redaction) {
  return sources.map((status) => ({
    name: redaction.text(status.name),
    status: status.status,
    lastReadAt: status.lastReadAt,
    lastChangeAt: status.lastChangeAt,
    lastError: status.lastError && {
      code: status.lastError.code,
      message: redaction.text(status.lastError.message),
    },
  }));
}
