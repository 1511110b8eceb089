import {
  ErrorCode,
  type FlagMetadata,
  type JsonValue,
  type ResolutionDetails,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import { formatPath, Value } from '../../index.js';
import { PerVersion } from './per-version.js';
import type { FlagConfig } from './types.js';

/** The four kinds of flag an OpenFeature client asks for. */
export type FlagType = 'boolean' | 'string' | 'number' | 'object';

/** What a flag value converts to, per kind. */
type FlagValueOf<K extends FlagType> = K extends 'boolean'
  ? boolean
  : K extends 'string'
    ? string
    : K extends 'number'
      ? number
      : JsonValue;

/**
 * Resolves flags under one prefix for an OpenFeature client: the value with reason `STATIC`; else the
 * default value with `FLAG_NOT_FOUND` (absent, reason `DEFAULT`), `TYPE_MISMATCH` (another type), or
 * `GENERAL` (a secret: never served as a flag, since flag values reach hooks, logs and telemetry).
 * Never throws; no message or metadata holds a value.
 */
export class FlagResolver {
  /** Whether the flag's value holds a secret, per flag key. */
  private readonly secret: PerVersion<boolean>;
  /** Metadata texts (source names, origin descriptions) after redaction. */
  private readonly redacted: PerVersion<string>;

  constructor(
    private readonly config: FlagConfig,
    private readonly prefix: readonly string[],
  ) {
    this.secret = new PerVersion(config);
    this.redacted = new PerVersion(config);
  }

  /** The flag `flagKey` (one key under the prefix) as `kind`. */
  resolve<K extends FlagType, T extends FlagValueOf<K>>(
    flagKey: string,
    kind: K,
    defaultValue: T,
  ): ResolutionDetails<T> {
    const { config } = this;
    const keys = [...this.prefix, flagKey];
    const path = formatPath(keys);
    const raw = config.get(keys);
    if (raw === undefined) {
      return {
        value: defaultValue,
        reason: StandardResolutionReasons.DEFAULT,
        errorCode: ErrorCode.FLAG_NOT_FOUND,
        errorMessage: `no flag at ${path}: no source sets it`,
        flagMetadata: { path, version: config.version },
      };
    }
    const flagMetadata = this.metadataOf(keys, path);
    const failed = (errorCode: ErrorCode, errorMessage: string): ResolutionDetails<T> => ({
      value: defaultValue,
      reason: StandardResolutionReasons.ERROR,
      errorCode,
      errorMessage,
      flagMetadata,
    });
    // `redact` returns the value itself when nothing in it is secret (key names, schema marks, the
    // `secrets` option, resolved values, secret shapes such as URL passwords).
    if (this.secret.get(flagKey, () => config.redact(raw, keys) !== raw)) {
      return failed(
        ErrorCode.GENERAL,
        `${path} holds a secret: livecfg does not serve secrets as flags (flag values reach hooks, logs and telemetry)`,
      );
    }
    const value = convert(raw, kind, path);
    if (value === undefined)
      return failed(ErrorCode.TYPE_MISMATCH, `${path} is ${describeType(raw)}, not ${article(kind)}`);
    return { value: value as T, reason: StandardResolutionReasons.STATIC, flagMetadata };
  }

  /** Where the value came from, as `config.explain` describes it (redacted: a source name may hold a URL). */
  private metadataOf(keys: readonly string[], path: string): FlagMetadata {
    const { config } = this;
    const explained = config.explain(keys);
    const metadata: FlagMetadata = { path, version: config.version };
    const redact = (text: string): string => this.redacted.get(text, () => config.redactText(text));
    if (explained.source !== undefined) metadata.source = redact(explained.source);
    if (explained.description !== undefined) metadata.origin = redact(explained.description);
    return metadata;
  }
}

/**
 * The value as `kind`, or `undefined` when it is another type. A value of the asked type is taken as
 * is; a string (env and flags without a schema give strings) converts to a boolean or a number by the
 * rules of `config.at(path).bool()` / `.number()`. Objects and arrays are object flags.
 */
function convert(raw: unknown, kind: FlagType, path: string): unknown {
  switch (kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      return typeof raw === 'string' ? new Value(raw, path).bool() : undefined;
    case 'number':
      if (typeof raw === 'number') return raw;
      return typeof raw === 'string' ? new Value(raw, path).number() : undefined;
    case 'string':
      return typeof raw === 'string' ? raw : undefined;
    case 'object':
      return raw !== null && typeof raw === 'object' ? raw : undefined;
  }
}

/** The type of a value in words, never the value itself: "a string", "null", "an object". */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
}

const article = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
