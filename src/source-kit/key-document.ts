/**
 * One key holding a whole document (Consul or etcd key mode), decoded with one set of rules: a missing
 * key is `NOT_FOUND` unless optional, an empty value is an empty layer, the checksum covers the data,
 * and `${NAME}` references are replaced only when the source opts in (`interpolate: true`).
 */
import { checksumData } from '../reader/checksum.js';
import type { ConfigData, Parser } from '../reader/contract.js';
import { ConfigError, OPTIONAL_HINT, toConfigError } from '../reader/errors.js';
import {
  type Environ,
  type Format,
  formatReady,
  parseDocument,
  prepareFormat,
} from '../reader/formats/index.js';
import { interpolate } from '../reader/formats/interpolate.js';
import { type Origin, type OriginMap, uniformOrigins } from '../reader/provenance.js';
import { isPlainObject } from '../reader/tree.js';

/** How a key document is parsed. */
export interface KeyDocumentOptions {
  /** The built-in format (from the key's extension unless given). */
  format: Format;
  /** A parser of your own; wins over `format`. */
  parser?: Parser;
  /** A missing key is an empty layer instead of `NOT_FOUND`. */
  optional: boolean;
  /** Replace `${NAME}` references from `environ` (default off for remote documents). */
  interpolate: boolean;
  environ?: Environ;
}

/** The key as read: its text (`null` when it exists without a value), or `undefined` when it is missing. */
export interface KeyDocumentInput {
  /** The source's name, for errors. */
  source: string;
  key: string;
  text: string | null | undefined;
  /** Stamped on every origin, e.g. `{ consulKey, modifyIndex }`. */
  origin: Origin;
  /** How the store names a key in messages: `Consul key`, `etcd key`. */
  what: string;
}

/** A decoded key document. */
export interface DecodedDocument {
  data: ConfigData;
  origins?: OriginMap;
  checksum: string;
}

const EMPTY: DecodedDocument = Object.freeze({ data: {}, checksum: checksumData({}) }) as DecodedDocument;

/**
 * Decodes a key document. Throws `NOT_FOUND` (missing, not optional) or `PARSE` (bad document, or a
 * parser's top level that is not a mapping). Async only when a custom parser is, or on the first
 * YAML/TOML document (which loads the parser module).
 */
export function decodeKeyDocument(
  input: KeyDocumentInput,
  options: KeyDocumentOptions,
): DecodedDocument | Promise<DecodedDocument> {
  const { source, key, text } = input;
  if (text === undefined) {
    if (options.optional) return { ...EMPTY, data: {} };
    throw new ConfigError('NOT_FOUND', `${source}: ${input.what} "${key}" not found${OPTIONAL_HINT}`, {
      source,
      path: key,
    });
  }
  if (text === null || text.trim() === '') return { ...EMPTY, data: {} };
  const environ = options.environ ?? (() => process.env);
  if (options.parser === undefined) {
    // The YAML and TOML modules load on their first document; once loaded, decoding stays synchronous.
    if (!formatReady(options.format)) {
      return prepareFormat(options.format).then(() => decodeKeyDocument(input, options));
    }
    const parsed = parseDocument(
      text,
      options.format,
      { source, label: key, originBase: input.origin },
      { interpolate: options.interpolate, environ },
    );
    return { data: parsed.data, origins: parsed.origins, checksum: checksumData(parsed.data) };
  }
  const parser = options.parser;
  const finish = (parsed: { data: unknown; origins?: OriginMap }): DecodedDocument => {
    if (!isPlainObject(parsed.data)) {
      throw new ConfigError(
        'PARSE',
        `${source}: ${input.what} "${key}": the ${parser.name} document's top level must be a mapping`,
        {
          source,
          path: key,
        },
      );
    }
    const inner = parsed.origins;
    let origins: OriginMap = inner
      ? { lookup: (path) => ({ ...input.origin, ...(inner.lookup(path) ?? {}) }) as Origin }
      : uniformOrigins(input.origin);
    if (options.interpolate && text.includes('${')) {
      origins = interpolate(parsed.data, origins, environ);
    }
    return { data: parsed.data, origins, checksum: checksumData(parsed.data) };
  };
  const wrap = (error: unknown) => {
    throw toConfigError(error, 'PARSE', source);
  };
  try {
    const result = parser.parse(text, { name: key, source });
    return result instanceof Promise ? result.then(finish, wrap) : finish(result);
  } catch (error) {
    return wrap(error);
  }
}
