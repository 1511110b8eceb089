import type { Parser } from '../contract.js';
import { parseDotenv } from './dotenv.js';
import type { DocumentContext, Format, FormatParser } from './format.js';
import { parseJson } from './json.js';
import { parseToml } from './toml.js';
import { parseYaml } from './yaml.js';

/** The parser function of each built-in format. */
export const FORMAT_PARSERS: Record<Format, FormatParser> = {
  json: parseJson,
  yaml: parseYaml,
  toml: parseToml,
  env: parseDotenv,
};

const formats = new WeakMap<Parser, Format>();

function builtin(format: Format, extensions: readonly string[]): Parser {
  const parser: Parser = {
    name: format,
    extensions,
    parse(text, context) {
      const document: DocumentContext = { source: context.source, label: context.name, originBase: {} };
      return FORMAT_PARSERS[format](text, document);
    },
  };
  formats.set(parser, format);
  return Object.freeze(parser);
}

/**
 * The built-in formats as {@link Parser} objects (what `format: 'yaml'` names). Their `parse` gives
 * origins with `line`/`column` only; the file source adds `file`.
 */
export const BUILTIN_PARSERS: Readonly<Record<Format, Parser>> = Object.freeze({
  json: builtin('json', ['.json']),
  yaml: builtin('yaml', ['.yaml', '.yml']),
  toml: builtin('toml', ['.toml']),
  env: builtin('env', ['.env']),
});

/** The format of a built-in parser object, or `undefined` for any other parser. */
export function builtinFormat(parser: Parser): Format | undefined {
  return formats.get(parser);
}
