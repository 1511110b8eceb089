import type { OriginDescriber } from './origin-text.js';
/**
 * The data contract every layer shares: what a source hands to the loader, and what a resolver is.
 * Types only; `reader/`, `sources/`, `loader/` and `watcher/` may all import it.
 */
import type { Origin, OriginMap } from './provenance.js';

/** Tree data as a source supplies it: plain objects, arrays and scalars. */
export type ConfigData = Record<string, unknown>;

/**
 * What the reader knows about key names when it merges a layer: the schema's keys and the keys of
 * the layers below. Env and flag sources use it to map `APP_LIMITS_MAX_CONNECTIONS` to `limits.maxConnections`.
 */
export interface KeyHints {
  /** The known child key names of the object at `path` (empty when none are known). */
  childKeys(path: readonly string[]): readonly string[];
}

/** Data shaped against the key hints, for sources whose key names are ambiguous (env). */
export interface ResolvedData {
  data: ConfigData;
  origins?: OriginMap;
}

/**
 * What changed in a source's data since its previous ChangeSet: values set at paths (key arrays) and
 * paths deleted. `data` of the same ChangeSet is still the whole new data; the delta only lets the
 * loader patch, validate, diff and fan out along the changed paths instead of the whole tree.
 */
export interface ChangeSetDelta {
  set: Array<readonly [path: readonly string[], value: unknown, origin?: Origin]>;
  deleted: Array<readonly string[]>;
}

/**
 * One read of one source, as it passes through the pipeline (go-config's ChangeSet).
 * `checksum` identifies the content: equal checksums mean nothing changed.
 */
export interface ChangeSet {
  data: ConfigData;
  origins?: OriginMap;
  checksum: string;
  /** The name of the source that produced it. */
  source: string;
  timestamp: Date;
  /** Optional: what changed relative to the previous ChangeSet of the same source. */
  delta?: ChangeSetDelta;
  /**
   * Optional late shaping: called by the reader at merge time with the key hints; its result
   * replaces `data` and `origins`. Must be pure.
   */
  resolve?(hints: KeyHints): ResolvedData;
  /**
   * Optional: the source's own text for one of its origins (`Source.describeOrigin`; the loader sets it
   * from the source when the ChangeSet lacks it). Explain, history, the inspector, the CLI and error
   * messages all describe origins through it.
   */
  describeOrigin?: OriginDescriber;
}

/** What a {@link Resolver} is told about the value it resolves. */
export interface ResolveContext {
  /** The path of the value (key array). */
  path: readonly string[];
  /** The name of the source that supplied the value. */
  source: string;
  /** Aborted when the config closes or the reload is abandoned. */
  signal?: AbortSignal;
}

/**
 * Replaces matching string values (ciphertexts, secret references) before coercion and validation.
 * Every value a resolver produced is secret for redaction.
 *
 * @example
 * const upper: Resolver = { name: 'upper', matches: (v) => v.startsWith('UP:'), resolve: async (v) => v.slice(3).toUpperCase() };
 */
export interface Resolver {
  /** Shown by `explain()` as `resolvedBy`. */
  readonly name: string;
  /** Whether this resolver handles the string value. Must be cheap and pure. */
  matches(value: string): boolean;
  /** The plain value. Throw a ConfigError (code `SECRET` or fitting) naming the path, never the secret. */
  resolve(value: string, context: ResolveContext): Promise<unknown>;
}

/** What a {@link Parser} is told about the text it parses. */
export interface ParseContext {
  /** Where the text came from, for messages and origins: a file path, a KV key or a URL. */
  name: string;
  /** The name of the source reading it. */
  source: string;
}

/** A parsed document: the data and, when the parser knows positions, the origin of each path. */
export interface ParsedDocument {
  data: ConfigData;
  origins?: OriginMap;
}

/**
 * A document format (DESIGN.md, "Parsers"): `file(path, { parser })`, `consul({ key, parser })`,
 * `etcd({ key, parser })`, or mapped by extension with `loadConfig({ parsers })`. No global registry.
 * Throw a ConfigError with code `PARSE` (and `line`/`column` where known) on bad input.
 */
export interface Parser {
  readonly name: string;
  /** Extensions (with the dot: `.json5`) this parser reads when mapped through `loadConfig({ parsers })`. */
  readonly extensions?: readonly string[];
  parse(text: string, context: ParseContext): ParsedDocument | Promise<ParsedDocument>;
}
