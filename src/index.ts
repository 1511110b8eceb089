/** livecfg: dynamic, typed, observable configuration for Node.js services. Public exports only. */
export { Config, loadConfig, UNOBSERVED_ERROR_WARNING } from './config/config.js';
export type { ConfigRedaction } from './config/redaction.js';
export type {
  ChangeDetail,
  ConfigChange,
  Explanation,
  HistoryEntry,
  LoadOptions,
  SourceStatus,
  ValuesOptions,
  WatchOptions,
} from './config/types.js';
export { ConfigError, type ConfigErrorCode, type ConfigIssue, isConfigError } from './reader/errors.js';
export type { Format } from './reader/formats/index.js';
export { formatPath, type PathInput, parsePath, parsePathText } from './reader/path.js';
export type { Origin, OriginMap } from './reader/provenance.js';
export type { StandardSchemaV1 } from './reader/standard-schema.js';
export type { DeepReadonly, Paths, PathValue } from './reader/typed-paths.js';
export { Value } from './reader/value.js';
// The Source contract as users of custom sources, parsers and resolvers meet it; what only a source
// author needs (key hints, late shaping, attach context) lives in `livecfg/source-kit`.
export type {
  ChangeSet,
  ChangeSetDelta,
  ConfigData,
  ParseContext,
  ParsedDocument,
  Parser,
  ResolveContext,
  Resolver,
  Source,
} from './source-kit/source.js';
export { type ConsulOptions, type ConsulSource, consul } from './sources/consul/index.js';
export { type EnvFile, type EnvOptions, env } from './sources/env/index.js';
export { type FileOptions, file } from './sources/file/index.js';
export { type FlagsOptions, flags } from './sources/flags/index.js';
export { type HttpLongPollOptions, type HttpOptions, type HttpSource, http } from './sources/http/index.js';
export { type MemoryOptions, type MemorySource, memory } from './sources/memory/index.js';
