import type { ConfigError } from '../reader/errors.js';
import { OffsetOrigins } from '../reader/formats/offset-origins.js';
import { TextPositions } from '../reader/formats/text-position.js';
import { pathKey } from '../reader/provenance.js';
import type { Parser } from '../source-kit/source.js';
import { optionalModule, optionalParser, parseError } from './optional-module.js';

const loadXml = optionalModule('fast-xml-parser', 'xml', () => import('fast-xml-parser'));

/** Options of {@link xml}. */
export interface XmlOptions {
  /** File extensions it reads when given to `loadConfig({ parsers })` (default `['.xml']`). */
  extensions?: readonly string[];
  /**
   * Dotted paths (below the root element) that are always arrays, even with one element:
   * `['servers.server']` makes `<servers><server>…</server></servers>` a list of one.
   */
  arrays?: readonly string[];
}

/**
 * An XML parser on the `fast-xml-parser` package, an optional dependency loaded on the first document
 * (`npm install fast-xml-parser`). The mapping, as Go Config's xml encoder and node-config do it:
 * - the root element is the document: its children and attributes are the top-level keys
 * - an element holding only text is a string; an element with children or attributes is an object
 *   (its text, if any, under `#text`); an empty element is `""`
 * - attributes are keys without a prefix (`<server port="8080"/>` → `{ server: { port: '8080' } }`)
 * - a repeated element is an array (see `arrays` for lists that may hold one element)
 * - every value is a string, as with environment variables: a schema coerces `"8080"` to a number
 *
 * Syntax errors give line and column; origins give each element's line and column (attributes that
 * of their element). Entity expansion is bounded by fast-xml-parser's limits, and elements named
 * `__proto__` or `constructor` are rejected by it (a `PARSE` error).
 *
 * @example
 * import { xml } from 'livecfg/parsers';
 * await loadConfig({ sources: [file('config/app.xml')], parsers: [xml()] });
 */
export function xml(options: XmlOptions = {}): Parser {
  const arrays = new Set(options.arrays ?? []);
  return optionalParser('xml', options.extensions ?? ['.xml'], loadXml, (module, body, context) => {
    if (body.trim() === '') return { data: {} };
    const fail = (reason: string, line?: number, column?: number, cause?: unknown): ConfigError =>
      parseError(context, reason, { line, column, cause });
    const valid = module.XMLValidator.validate(body, { allowBooleanAttributes: true });
    if (valid !== true) throw fail(valid.err.msg, valid.err.line, valid.err.col);
    const parser = new module.XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      allowBooleanAttributes: true,
      parseTagValue: false,
      parseAttributeValue: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      alwaysCreateTextNode: true,
      captureMetaData: true,
      isArray: (_name, jpath) => arrays.has(String(jpath).split('.').slice(1).join('.')),
    });
    let document: Record<string, unknown>;
    try {
      document = parser.parse(body) as Record<string, unknown>;
    } catch (error) {
      throw fail((error as Error).message.replace(/^\[SECURITY\] /, ''), undefined, undefined, error);
    }
    const offsets = new Map<string, number>();
    const root = Object.values(document)[0];
    const data = toConfig(root, [], offsets, module.XMLParser.getMetaDataSymbol() as unknown as symbol);
    if (typeof data === 'string') {
      if (data.trim() === '') return { data: {} };
      throw fail('the root element holds text, not keys: put the values in child elements');
    }
    return {
      data: (data ?? {}) as Record<string, unknown>,
      origins: new OffsetOrigins(() => offsets, new TextPositions(body), {}),
    };
  });
}

/** Turns fast-xml-parser's output into config data, recording each element's offset by path. */
function toConfig(node: unknown, path: string[], offsets: Map<string, number>, meta: symbol): unknown {
  if (Array.isArray(node)) {
    return node.map((item, index) => toConfig(item, [...path, String(index)], offsets, meta));
  }
  if (node === null || typeof node !== 'object') return node === undefined ? '' : String(node);
  const element = node as Record<string | symbol, unknown>;
  const start = (element[meta] as { startIndex?: number } | undefined)?.startIndex;
  if (typeof start === 'number' && path.length > 0) offsets.set(pathKey(path), start);
  const keys = Object.keys(element);
  if (keys.length === 1 && keys[0] === '#text') return String(element['#text'] ?? '');
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === '#text' && element[key] === '') continue;
    out[key] = toConfig(element[key], [...path, key], offsets, meta);
  }
  return out;
}
