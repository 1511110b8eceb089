/**
 * livecfg/parsers: document formats beyond the built-in JSON, YAML, TOML and `.env` (JSON5, XML, Java
 * `.properties`), each on an optional package loaded only when a document needs it. Use one for a file
 * (`file('app.json5', { parser: json5() })`) or map extensions for a whole config
 * (`loadConfig({ parsers: [json5(), xml()] })`).
 */

export type { ParseContext, ParsedDocument, Parser } from '../reader/contract.js';
export { dotenv, json, toml, yaml } from './builtin.js';
export { type Json5Options, json5 } from './json5.js';
export { type PropertiesOptions, properties } from './properties.js';
export { type XmlOptions, xml } from './xml.js';
