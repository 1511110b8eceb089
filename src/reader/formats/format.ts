import type { ConfigData } from '../contract.js';
import type { Origin, OriginMap } from '../provenance.js';

/** The document formats livecfg parses. */
export type Format = 'json' | 'yaml' | 'toml' | 'env';

/** Where a document came from, stamped on every origin and error it produces. */
export interface DocumentContext {
  /** The source's name, for error messages ("file:config/app.yaml"). */
  source: string;
  /** The file path, when the document is a file; named in every error message. */
  file?: string;
  /** Extra origin fields (e.g. `{ consulKey, modifyIndex }`) merged into each value's origin. */
  originBase: Origin;
  /** A label for messages when there is no file (e.g. the Consul key). */
  label?: string;
}

/** A parsed document: plain data and (possibly lazy) line/column origins. */
export interface ParsedDocument {
  data: ConfigData;
  origins: OriginMap;
}

/** A parser for one format. Throws a `PARSE` ConfigError with line and column on bad input. */
export type FormatParser = (text: string, context: DocumentContext) => ParsedDocument;
