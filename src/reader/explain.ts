import { contributionsAt, type Layer } from './layers.js';
import { describeOrigin } from './origin-text.js';
import { formatPath } from './path.js';
import type { Origin } from './provenance.js';
import { REDACTED } from './redaction/url-password.js';
import { getPath } from './tree.js';

/** Where the value at a path came from: the winning layer and origin, and what it overrode. */
export interface Explanation {
  path: string;
  value: unknown;
  /** The winning source's name; `schema` when only a schema default supplies the value. */
  source: string | undefined;
  origin: Origin | undefined;
  /** The origin as its source describes it: `config/app.yaml:3:9`, `env APP_PORT`, a custom source's text. */
  description: string | undefined;
  /** Lower layers' raw values at the path, highest priority first. */
  overridden: Array<{ source: string; origin: Origin | undefined; value: unknown; description: string }>;
  /** The resolver that produced the value (decrypted, read from Vault); the value is then not shown. */
  resolvedBy?: string;
}

function resolverOf(origin: Origin | undefined): string | undefined {
  const name = (origin as { resolvedBy?: unknown } | undefined)?.resolvedBy;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Explains the value at `keys` of a snapshot built from `layers`: the highest layer that supplies
 * it wins; a value no layer supplies came from a schema default.
 */
export function explainPath(
  layers: readonly Layer[],
  snapshot: unknown,
  keys: readonly string[],
): Explanation {
  const value = getPath(snapshot, keys);
  const [winner, ...overridden] = contributionsAt(layers, keys);
  if (!winner) {
    const fromSchema = value !== undefined;
    return {
      path: formatPath(keys),
      value,
      source: fromSchema ? 'schema' : undefined,
      origin: fromSchema ? { default: true } : undefined,
      description: fromSchema ? describeOrigin({ default: true }, 'schema') : undefined,
      overridden: [],
    };
  }
  const resolvedBy = resolverOf(winner.origin);
  const shown = overridden.map((item) => (resolverOf(item.origin) ? { ...item, value: REDACTED } : item));
  const explained: Explanation = {
    path: formatPath(keys),
    value: resolvedBy ? REDACTED : value,
    source: winner.source,
    origin: winner.origin,
    description: winner.description,
    overridden: shown,
  };
  if (resolvedBy) explained.resolvedBy = resolvedBy;
  return explained;
}
