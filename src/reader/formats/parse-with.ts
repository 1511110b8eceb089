import type { Parser } from '../contract.js';
import { ConfigError } from '../errors.js';
import type { Origin, OriginMap } from '../provenance.js';
import { builtinFormat } from './builtin.js';
import { deepNestingError, finishDocument, type ParseOptions, parseDocument } from './document.js';
import { nonPlainError, parseError, requireMapping } from './errors.js';
import type { DocumentContext, ParsedDocument } from './format.js';
import { prepareFormat } from './lazy-modules.js';
import { toPlainData } from './plain.js';

/**
 * Parses a document with any {@link Parser}: a built-in one exactly as `parseDocument` does, any other
 * through its `parse`, then the same checks for all: plain data only (`toPlainData`; a value that
 * cannot be plain is a `PARSE` error naming the path and line), a mapping at the top level, the depth
 * limit and `${NAME}` interpolation. Origins get the context's `originBase` (e.g. `{ file }`) under the
 * parser's `line`/`column`. Errors name the file (or label) and carry `file` and `source`.
 */
export async function parseWithParser(
  text: string,
  parser: Parser,
  context: DocumentContext,
  options: ParseOptions = {},
): Promise<ParsedDocument> {
  const format = builtinFormat(parser);
  if (format !== undefined) {
    await prepareFormat(format);
    return parseDocument(text, format, context, options);
  }
  let result: unknown;
  try {
    result = await parser.parse(text, {
      name: context.file ?? context.label ?? context.source,
      source: context.source,
    });
  } catch (error) {
    throw deepNestingError(error, context) ?? fromParser(error, parser, context);
  }
  if (result === null || typeof result !== 'object' || !('data' in result)) {
    throw parseError(context, `the ${parser.name} parser returned no { data } object`);
  }
  const parsed = result as { data: unknown; origins?: OriginMap };
  const origins = withBase(parsed.origins, context.originBase);
  let data: unknown;
  try {
    data = toPlainData(parsed.data, (path, reason) => {
      throw nonPlainError(context, origins, path, reason);
    });
  } catch (error) {
    throw deepNestingError(error, context) ?? error;
  }
  return finishDocument({ data: requireMapping(data, context), origins }, text, context, options);
}

/** The parser's origins (positions) on top of the document's base origin (`{ file }`, `{ consulKey }`). */
function withBase(origins: OriginMap | undefined, base: Origin): OriginMap {
  if (origins === undefined) return { lookup: () => ({ ...base }) };
  return {
    lookup(path) {
      const found = origins.lookup(path);
      return found === undefined ? { ...base } : ({ ...base, ...found } as Origin);
    },
  };
}

/** A parser's error as a ConfigError that names the file (or label) and carries `file` and `source`. */
function fromParser(error: unknown, parser: Parser, context: DocumentContext): ConfigError {
  const where = context.file ?? context.label ?? context.source;
  if (error instanceof ConfigError) {
    const message = error.message.includes(where) ? error.message : `${where}: ${error.message}`;
    return new ConfigError(error.code, message, {
      source: error.source ?? context.source,
      file: error.file ?? context.file,
      path: error.path,
      line: error.line,
      column: error.column,
      issues: error.issues,
      cause: error.cause ?? error,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return parseError(context, `${parser.name}: ${reason}`, undefined, error);
}
