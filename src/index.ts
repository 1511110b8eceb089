/** livecfg: dynamic, typed, observable configuration for Node.js services. Public exports only. */
export {
  type ChangeDetail,
  Config,
  type ConfigChange,
  type Explanation,
  type HistoryEntry,
  type LoadOptions,
  loadConfig,
  type SourceStatus,
  UNOBSERVED_ERROR_WARNING,
  type ValuesOptions,
  type WatchOptions,
} from './config.js';
export { ConfigError, type ConfigErrorCode, type ConfigIssue, isConfigError } from './reader/errors.js';
export type { Format } from './reader/formats/index.js';
export type { PathInput } from './reader/path.js';
export type { Origin, OriginMap } from './reader/provenance.js';
export {
  createRedactor,
  isSecretKey,
  /** A secret value with every leaf replaced by {@link REDACTED}, its shape kept (`null`/`undefined` stay). */
  mask,
  maskUrlPassword,
  REDACTED,
  type Redactor,
  type RedactorOptions,
  secretPathsOfSchema,
} from './reader/redaction/index.js';
export type { StandardSchemaV1 } from './reader/standard-schema.js';
export { Value } from './reader/value.js';
export { type AgeDecryptOptions, ageDecrypt, ageEncrypt } from './secrets/index.js';
export { type ConsulOptions, type ConsulSource, consul } from './sources/consul.js';
export { type EnvOptions, env } from './sources/env.js';
export { type FileOptions, file } from './sources/file.js';
export { type FlagsOptions, flags } from './sources/flags.js';
export { type HttpLongPollOptions, type HttpOptions, type HttpSource, http } from './sources/http.js';
export { type MemoryOptions, type MemorySource, memory } from './sources/memory.js';
export type {
  ChangeSet,
  ChangeSetDelta,
  ConfigData,
  KeyHints,
  ParseContext,
  ParsedDocument,
  Parser,
  ResolveContext,
  ResolvedData,
  Resolver,
  Source,
  SourceContext,
} from './sources/source.js';
export type { DeepReadonly, Paths, PathValue } from './types.js';
