import { ConfigError } from '../errors.js';
import { depthOf, MAX_DEPTH } from '../tree.js';
import { FORMAT_PARSERS } from './builtin.js';
import { parseError } from './errors.js';
import type { DocumentContext, Format, ParsedDocument } from './format.js';
import { type Environ, interpolate } from './interpolate.js';

/** Options of {@link parseDocument}. */
export interface ParseOptions {
  /** Replace `${NAME}` references (default true). */
  interpolate?: boolean;
  /**
   * The environment `${NAME}` references are read from. The caller passes it (sources default to
   * the process environment; the pure core never reads it): without one, nothing is interpolated.
   */
  environ?: Environ;
}

/**
 * Parses a document in the given format. Throws a `PARSE` ConfigError naming the file (or label),
 * line and column. The top level must be a mapping. Synchronous: for YAML and TOML, await
 * `prepareFormat(format)` once before (it loads the parser module).
 */
export function parseDocument(
  text: string,
  format: Format,
  context: DocumentContext,
  options: ParseOptions = {},
): ParsedDocument {
  let parsed: ParsedDocument;
  try {
    parsed = FORMAT_PARSERS[format](text, context);
  } catch (error) {
    throw deepNestingError(error, context) ?? error;
  }
  return finishDocument(parsed, text, context, options);
}

/** The PARSE error for a stack overflow while parsing (a document nested too deep), else `undefined`. */
export function deepNestingError(error: unknown, context: DocumentContext): ConfigError | undefined {
  if (error instanceof RangeError) return parseError(context, `nesting too deep to parse (${error.message})`);
  if (error instanceof ConfigError && /call stack/i.test(error.message)) {
    return parseError(context, `nesting too deep to parse (more than ${MAX_DEPTH} levels?)`);
  }
  return undefined;
}

/** The checks and steps after any parser: the depth limit, then `${NAME}` interpolation. */
export function finishDocument(
  parsed: ParsedDocument,
  text: string,
  context: DocumentContext,
  options: ParseOptions = {},
): ParsedDocument {
  if (depthOf(parsed.data) > MAX_DEPTH) {
    throw parseError(context, `nesting deeper than ${MAX_DEPTH} levels`);
  }
  if (options.interpolate === false || options.environ === undefined || !text.includes('${')) return parsed;
  const origins = interpolate(parsed.data, parsed.origins, options.environ);
  return { data: parsed.data, origins };
}
