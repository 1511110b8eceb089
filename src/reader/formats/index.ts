/** Document formats: the built-in parsers (JSON, YAML, TOML, .env), picking one by extension, and parse errors with positions. */
import { basename, extname } from 'node:path';
import type { Parser } from '../contract.js';
import { ConfigError } from '../errors.js';
import { BUILTIN_PARSERS, builtinFormat } from './builtin.js';
import type { Format } from './format.js';

export { BUILTIN_PARSERS, builtinFormat } from './builtin.js';
export { deepNestingError, finishDocument, type ParseOptions, parseDocument } from './document.js';
export type { DocumentContext, Format, FormatParser, ParsedDocument } from './format.js';
export type { Environ } from './interpolate.js';
export { formatReady, prepareFormat } from './lazy-modules.js';
export { parseWithParser } from './parse-with.js';

/** Every format name accepted by `format:` options. */
export const FORMATS: readonly Format[] = ['json', 'yaml', 'toml', 'env'];

/**
 * The format of a file from its name: `.json`, `.yaml`/`.yml`, `.toml`, `.env` (also a file named `.env`
 * or `x.env`). Anything else is JSON, Go Config's default.
 */
export function formatFromPath(path: string): Format {
  const name = basename(path);
  if (name === '.env' || name.startsWith('.env.')) return 'env';
  switch (extname(name).toLowerCase()) {
    case '.yaml':
    case '.yml':
      return 'yaml';
    case '.toml':
      return 'toml';
    case '.env':
      return 'env';
    default:
      return 'json';
  }
}

/**
 * The parser for a file: the first of `parsers` listing an extension the file's name ends with
 * (case-insensitive; `.conf.xml` style extensions work), else the built-in format from
 * {@link formatFromPath}.
 */
export function parserForPath(path: string, parsers: readonly Parser[] = []): Parser {
  const name = basename(path).toLowerCase();
  for (const parser of parsers) {
    if (parser.extensions?.some((extension) => name.endsWith(extension.toLowerCase()))) return parser;
  }
  return BUILTIN_PARSERS[formatFromPath(path)];
}

/** Checks a user-given format name. */
export function checkFormat(format: string, source: string): Format {
  if ((FORMATS as readonly string[]).includes(format)) return format as Format;
  throw new ConfigError(
    'INVALID_ARGUMENT',
    `${source}: unknown format "${format}" (use ${FORMATS.join(', ')}, or pass a parser)`,
    {
      source,
    },
  );
}

/** Whether a parser is one of the built-in formats (which run synchronously and can run in a worker). */
export function isBuiltinParser(parser: Parser): boolean {
  return builtinFormat(parser) !== undefined;
}
