import { ConfigError } from '../errors.js';
import { formatPath } from '../path.js';
import type { OriginMap } from '../provenance.js';
import type { DocumentContext } from './format.js';

/** Builds the PARSE error for a document: "config/app.yaml:12:3: <reason>". */
export function parseError(
  context: DocumentContext,
  reason: string,
  position?: { line: number; column: number },
  cause?: unknown,
): ConfigError {
  const where = context.file ?? context.label ?? context.source;
  const at = position ? `${where}:${position.line}:${position.column}` : where;
  return new ConfigError('PARSE', `${at}: ${reason}`, {
    source: context.source,
    file: context.file,
    line: position?.line,
    column: position?.column,
    cause,
  });
}

/** Rejects a document whose top level is not a mapping (arrays and scalars cannot be config trees). */
export function requireMapping(value: unknown, context: DocumentContext): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw parseError(context, `the top level must be a mapping of keys to values, got ${kind}`);
  }
  return value as Record<string, unknown>;
}

/**
 * The PARSE error for a value that cannot become plain config data (see `toPlainData`):
 * "config/app.yaml:4:1: logo: a Foo object cannot be a config value". `origins` gives the line.
 */
export function nonPlainError(
  context: DocumentContext,
  origins: OriginMap,
  path: readonly string[],
  reason: string,
): ConfigError {
  const origin = origins.lookup(path) as { line?: unknown; column?: unknown } | undefined;
  const position =
    typeof origin?.line === 'number' && typeof origin.column === 'number'
      ? { line: origin.line, column: origin.column }
      : undefined;
  const error = parseError(context, `${formatPath(path)}: ${reason}`, position);
  return new ConfigError('PARSE', error.message, {
    source: error.source,
    file: error.file,
    line: error.line,
    column: error.column,
    path: formatPath(path),
  });
}
