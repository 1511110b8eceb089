import { basename, extname } from 'node:path';
import { ConfigError } from '../errors.js';
import { depthOf, MAX_DEPTH } from '../tree.js';
import { parseDotenv } from './dotenv.js';
import { parseError } from './errors.js';
import type { DocumentContext, Format, FormatParser, ParsedDocument } from './format.js';
import { type Environ, interpolate } from './interpolate.js';
import { parseJson } from './json.js';
import { parseToml } from './toml.js';
import { parseYaml } from './yaml.js';

export type { DocumentContext, Format, FormatParser, ParsedDocument } from './format.js';
export type { Environ } from './interpolate.js';

const PARSERS: Record<Format, FormatParser> = {
  json: parseJson,
  yaml: parseYaml,
  toml: parseToml,
  env: parseDotenv,
};

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

/** Checks a user-given format name. */
export function checkFormat(format: string, source: string): Format {
  if ((FORMATS as readonly string[]).includes(format)) return format as Format;
  throw new ConfigError(
    'INVALID_ARGUMENT',
    `${source}: unknown format "${format}" (use ${FORMATS.join(', ')})`,
    {
      source,
    },
  );
}

/** Options of {@link parseDocument}. */
export interface ParseOptions {
  /** Replace `${NAME}` references (default true). */
  interpolate?: boolean;
  /** The environment used for interpolation (default `process.env`). */
  environ?: Environ;
}

/**
 * Parses a document in the given format. Throws a `PARSE` ConfigError naming the file (or label),
 * line and column. The top level must be a mapping.
 */
export function parseDocument(
  text: string,
  format: Format,
  context: DocumentContext,
  options: ParseOptions = {},
): ParsedDocument {
  let parsed: ParsedDocument;
  try {
    parsed = PARSERS[format](text, context);
  } catch (error) {
    if (error instanceof RangeError)
      throw parseError(context, `nesting too deep to parse (${error.message})`);
    if (error instanceof ConfigError && /call stack/i.test(error.message)) {
      throw parseError(context, `nesting too deep to parse (more than ${MAX_DEPTH} levels?)`);
    }
    throw error;
  }
  if (depthOf(parsed.data) > MAX_DEPTH) {
    throw parseError(context, `nesting deeper than ${MAX_DEPTH} levels`);
  }
  if (options.interpolate === false || !text.includes('${')) return parsed;
  const origins = interpolate(parsed.data, parsed.origins, options.environ ?? (() => process.env));
  return { data: parsed.data, origins };
}
