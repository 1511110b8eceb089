import type { ParseContext, ParsedDocument, Parser } from '../reader/contract.js';
import { ConfigError } from '../reader/errors.js';

/**
 * A loader for an optional peer dependency, imported the first time a document needs it. When the
 * package is missing it rejects with an `INVALID_ARGUMENT` ConfigError naming the package and how to
 * install it; a later call tries again (the package may have been installed meanwhile).
 */
export function optionalModule<T>(pkg: string, parser: string, importer: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= importer().catch((error: unknown) => {
      loading = undefined;
      throw new ConfigError(
        'INVALID_ARGUMENT',
        `the ${parser}() parser needs the optional package "${pkg}", which is not installed: run \`npm install ${pkg}\``,
        { cause: error },
      );
    });
    return loading;
  };
}

/** The text without a leading byte order mark (lines and columns count from after it, as editors show them). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A parser on an optional module (json5, xml): the module loads on the first document, which is
 * handed over without its byte order mark.
 */
export function optionalParser<T>(
  name: string,
  extensions: readonly string[],
  load: () => Promise<T>,
  parse: (module: T, body: string, context: ParseContext) => ParsedDocument,
): Parser {
  return {
    name,
    extensions,
    async parse(text, context) {
      const module = await load();
      return parse(module, withoutBom(text), context);
    },
  };
}

/** A `PARSE` error at `line:column` of the document (or of the whole document without a line). */
export function parseError(
  context: ParseContext,
  reason: string,
  at: { line?: number | undefined; column?: number | undefined; cause?: unknown } = {},
): ConfigError {
  const { line, column, cause } = at;
  const where = line === undefined ? context.name : `${context.name}:${line}:${column ?? 1}`;
  return new ConfigError('PARSE', `${where}: ${reason}`, { source: context.source, line, column, cause });
}

/** A CommonJS package's export under ESM import: its `default` when there is one, else the namespace. */
export function defaultExport<T>(module: unknown): T {
  const namespace = module as { default?: T };
  return (namespace.default ?? module) as T;
}
