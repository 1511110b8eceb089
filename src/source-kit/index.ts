/**
 * What a source author needs (`livecfg/source-kit`): the Source contract, and the pieces livecfg's own
 * sources are built from: one target parser, one key-document decoder, one backoff, one tree builder,
 * an HTTP client with limits, a polling watch, origin describers and a base class. Nothing of the
 * core's internals: a source hands the loader data, origins and a checksum; the core does the rest.
 */

export type {
  ChangeSet,
  ChangeSetDelta,
  ConfigData,
  KeyHints,
  ParseContext,
  ParsedDocument,
  Parser,
  ResolvedData,
} from '../reader/contract.js';
export { ConfigError, type ConfigErrorCode } from '../reader/errors.js';
export type { Environ, Format } from '../reader/formats/index.js';
export type { Origin, OriginMap } from '../reader/provenance.js';
export { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
export { type ErrorListener, ErrorListeners } from './error-listeners.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  HttpClient,
  type HttpFailure,
  type HttpGetOptions,
  HttpRequestError,
  type HttpRequestOptions,
  type HttpResponse,
  type TlsOptions,
} from './http-client.js';
export { type HttpStream, type HttpStreamHead, type HttpStreamOptions, splitLines } from './http-stream.js';
export type { KeyChange, KeyTreeState } from './key-change.js';
export {
  type DecodedDocument,
  decodeKeyDocument,
  type KeyDocumentInput,
  type KeyDocumentOptions,
} from './key-document.js';
export { KeyTree } from './key-tree.js';
export {
  describeEnvOrigin,
  describeFileOrigin,
  describeFlagOrigin,
  describeKvOrigin,
  describeMemoryOrigin,
  describeVaultOrigin,
  type OriginDescriber,
} from './origins.js';
export { type PollHost, type PollRegistry, pollingWatch } from './poll.js';
export type { RedirectPolicy } from './redirect-headers.js';
export type { Source, SourceContext } from './source.js';
export { SourceBase } from './source-base.js';
export { describeKeyTarget, type KeyTarget, type KeyTargetRules, parseKeyTarget } from './target.js';
export { type RepeatPolicy, TreeBuilder } from './tree-builder.js';
export { treeFromKeys } from './tree-from-keys.js';
