import { json5 } from '../../parsers/json5.js';
import { properties } from '../../parsers/properties.js';
import { xml } from '../../parsers/xml.js';
import type { ParseContext } from '../../reader/contract.js';
import { ConfigError } from '../../reader/errors.js';
import { BUILTIN_PARSERS, parseWithParser } from '../../reader/formats/index.js';
import type { Parser } from '../../source-kit/source.js';

const JSON5_PARSER = json5({ extensions: ['.json5', '.jsonc'] });

/**
 * node-config reads `.json` with JSON5 (comments and trailing commas pass). This parser keeps the
 * fast built-in JSON path and falls back to JSON5 only for a text JSON rejects, whose errors (line
 * and column) then come from JSON5: a file node-config reads, livecfg reads too.
 */
const JSON_THEN_JSON5: Parser = Object.freeze({
  name: 'json',
  extensions: ['.json'],
  async parse(text: string, context: ParseContext) {
    try {
      return await BUILTIN_PARSERS.json.parse(text, context);
    } catch (error) {
      if (!(error instanceof ConfigError) || error.code !== 'PARSE') throw error;
      return await JSON5_PARSER.parse(text, context);
    }
  },
});

/**
 * The parser `file()` is given for each extension node-config reads; `undefined` leaves it to `file()`
 * (config modules, YAML, TOML by extension).
 */
export function parserForExtension(ext: string): Parser | undefined {
  switch (ext) {
    case 'json':
      return JSON_THEN_JSON5;
    case 'jsonc':
    case 'json5':
      return JSON5_PARSER;
    case 'properties':
      return properties();
    case 'xml':
      return xml();
    default:
      return undefined;
  }
}

/**
 * A custom environment variable's value read with its `__format`, as node-config's parsers do:
 * `json` (JSON5), `yaml`/`yml`, `number` (`undefined` when it is not one), `boolean` (`'true'` is true,
 * anything else false), and the document formats `json5`, `toml`, `properties`, `xml`.
 */
export async function parseFormatted(text: string, format: string, where: string): Promise<unknown> {
  switch (format) {
    case 'boolean':
      return text === 'true';
    case 'number': {
      const number = Number(text);
      return Number.isNaN(number) ? undefined : number;
    }
    case 'json':
    case 'jsonc':
    case 'json5':
      return await parseJson(text);
    case 'yaml':
    case 'yml':
      return (await import('yaml')).parse(text) as unknown;
    case 'toml':
    case 'properties':
    case 'xml': {
      const parser = format === 'toml' ? BUILTIN_PARSERS.toml : (parserForExtension(format) as Parser);
      const context = { source: where, label: where, originBase: {} };
      return (await parseWithParser(text, parser, context, { interpolate: false })).data;
    }
    default:
      throw new ConfigError(
        'INVALID_ARGUMENT',
        `${where}: __format "${format}" is not one livecfg reads (json, json5, yaml, yml, toml, properties, xml, number, boolean)`,
      );
  }
}

/** JSON, or JSON5 (node-config's `json` parser) when it is not plain JSON. */
async function parseJson(text: string): Promise<unknown> {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    let JSON5: { parse(text: string): unknown };
    try {
      const module = (await import('json5')) as { default?: typeof JSON5 } & Partial<typeof JSON5>;
      JSON5 = (module.default ?? module) as typeof JSON5;
    } catch {
      throw error;
    }
    return JSON5.parse(text);
  }
}
