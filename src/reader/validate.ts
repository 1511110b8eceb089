import { coerceTree } from './coerce.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { contributionsAt, type Layer } from './layers.js';
import { originLocation } from './origin-text.js';
import { formatPath } from './path.js';
import type { Shape } from './schema-shape.js';
import { issuePath, type StandardSchemaV1 } from './standard-schema.js';
import { getPath } from './tree.js';

/**
 * Coerces the merged tree to the schema's kinds and validates it. Resolves to the schema's output,
 * or rejects with a `VALIDATION` ConfigError whose message names, for each issue, the path, the bad
 * value and where it came from (`config/app.yaml:12:3: limits.maxConnections: … (from env APP_…)`).
 */
export async function validateTree(
  tree: Record<string, unknown>,
  schema: StandardSchemaV1 | undefined,
  shape: Shape | undefined,
  layers: readonly Layer[],
): Promise<unknown> {
  if (!schema) return tree;
  const input = shape ? coerceTree(tree, shape) : tree;
  const result = await runSchema(schema, input);
  if (!result.issues) return result.value;
  throw validationError(result.issues, input, layers);
}

/**
 * Runs a (sub)schema. A schema that throws (a refinement or transform with a bug) is a `VALIDATION`
 * error with the thrown error as its cause, at startup and at reload alike.
 */
export async function runSchema(
  schema: StandardSchemaV1,
  input: unknown,
): Promise<StandardSchemaV1.Result<unknown>> {
  try {
    return await schema['~standard'].validate(input);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ConfigError('VALIDATION', `the schema threw while validating: ${reason}`, { cause: error });
  }
}

/** Builds the VALIDATION error for a list of schema issues. */
export function validationError(
  schemaIssues: readonly StandardSchemaV1.Issue[],
  input: unknown,
  layers: readonly Layer[],
): ConfigError {
  const issues: ConfigIssue[] = schemaIssues.map((issue) => {
    const path = issuePath(issue);
    // An issue about the whole tree (a root refinement) has no single source to blame.
    const winner = path.length === 0 ? undefined : contributionsAt(layers, path)[0];
    const described: ConfigIssue = {
      path: formatPath(path),
      message: issue.message,
      value: getPath(input, path),
    };
    if (winner) {
      described.source = winner.source;
      described.description = winner.description;
      if (winner.origin) described.origin = winner.origin;
    }
    return described;
  });
  const lines = issues.map((issue) => {
    const location = originLocation(issue.origin);
    const got = issue.value === undefined ? 'missing' : `got ${formatValue(issue.value)}`;
    // A file location already leads the line; other origins (env, flag, KV key) are named at the end.
    const from = issue.source && !location ? ` (from ${issue.description ?? issue.source})` : '';
    return `${location ? `${location}: ` : ''}${issue.path || '(root)'}: ${issue.message}, ${got}${from}`;
  });
  const first = issues[0];
  const firstOrigin = (first?.origin ?? {}) as { file?: unknown; line?: unknown; column?: unknown };
  return new ConfigError('VALIDATION', lines.join('\n'), {
    source: first?.source,
    path: first?.path,
    file: typeof firstOrigin.file === 'string' ? firstOrigin.file : undefined,
    line: typeof firstOrigin.line === 'number' ? firstOrigin.line : undefined,
    column: typeof firstOrigin.column === 'number' ? firstOrigin.column : undefined,
    issues,
  });
}

/** A value for an error message: JSON, except numbers JSON cannot show (Infinity, NaN, -0) and bigints. */
function formatValue(value: unknown): string {
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) {
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
