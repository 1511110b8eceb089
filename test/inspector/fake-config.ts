/**
 * A real `loadConfig` config with the members the inspector needs that main does not have yet
 * (`sources()`, `history()`, `isSecret`, `redact`, `redactText`), built on the CLI's redaction rules.
 * Once the Config has them, tests use the real ones (see `inspectable()`).
 */
import { createRedactor } from '../../src/cli/redact.js';
import type { Config } from '../../src/index.js';
import type {
  InspectedConfig,
  InspectedHistoryEntry,
  InspectedSourceStatus,
} from '../../src/inspector/types.js';

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)([^@/\s]+)@/gi;

function keys(path: string | readonly string[]): string[] {
  return typeof path === 'string' ? (path === '' ? [] : path.split('.')) : [...path];
}

function get(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Adds the 0.2 inspection members to a config (a stand-in until main has them). */
export function inspectable(config: Config, secretPaths: string[] = []): InspectedConfig {
  const real = config as unknown as Partial<InspectedConfig>;
  if (typeof real.history === 'function' && typeof real.redactText === 'function') {
    return config as unknown as InspectedConfig;
  }
  const redactor = createRedactor({ paths: secretPaths });
  const history: InspectedHistoryEntry[] = [];
  const statuses = new Map<string, InspectedSourceStatus>();
  const secretValues = (): string[] => {
    const found: string[] = [];
    const walk = (value: unknown, path: string[]): void => {
      if (value !== null && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
      } else if (typeof value === 'string' && value.length >= 4 && redactor.isSecret(path)) found.push(value);
    };
    walk(config.value, []);
    return found;
  };
  const redactText = (text: string): string => {
    let result = text.replace(URL_PASSWORD, '$1[redacted]@');
    for (const secret of secretValues()) result = result.split(secret).join('[redacted]');
    return result;
  };
  config.changes$.subscribe((change) => {
    const now = new Date().toISOString();
    history.unshift({
      version: change.version,
      timestamp: now,
      source: change.source,
      changes: change.changed.map((path) => {
        const explanation = config.explain(keys(path));
        return {
          path,
          previous: get(change.previous, keys(path)),
          value: explanation.value,
          source: explanation.source,
          origin: explanation.origin,
        };
      }),
    });
    for (const name of change.source.split(',')) {
      const status = statuses.get(name);
      if (status)
        Object.assign(status, { status: 'ok', lastReadAt: now, lastChangeAt: now, lastError: null });
    }
  });
  config.errors$.subscribe((error) => {
    const status = error.source === undefined ? undefined : statuses.get(error.source);
    if (status) {
      status.status = 'error';
      status.lastError = { code: error.code, message: redactText(error.message) };
    }
  });
  const started = new Date().toISOString();
  const sourceNames = (config as unknown as { sources: readonly { name: string }[] }).sources;
  for (const { name } of Array.isArray(sourceNames) ? sourceNames : []) {
    statuses.set(name, { name, status: 'ok', lastReadAt: started, lastChangeAt: started, lastError: null });
  }
  const redact = (value: unknown, path: string | readonly string[] = []): unknown => {
    const redacted = redactor.redact(value, keys(path));
    return JSON.parse(JSON.stringify(redacted ?? null), (_key, leaf: unknown) =>
      typeof leaf === 'string' ? leaf.replace(URL_PASSWORD, '$1[redacted]@') : leaf,
    ) as unknown;
  };
  return {
    get value() {
      return config.value;
    },
    get version() {
      return config.version;
    },
    explain: (path) => config.explain(path),
    changes$: config.changes$,
    errors$: config.errors$,
    sources: () => [...statuses.values()].map((status) => ({ ...status })),
    history: () => [...history],
    isSecret: (path) => redactor.isSecret(keys(path)),
    redact: (value, path) => (value === undefined ? undefined : redact(value, path)),
    redactText,
  };
}
