/**
 * `livecfg/source-kit`: the pieces livecfg's own sources are built from, for writing your own. A
 * source is an object with `name`, `read()` and, when it can change, `watch()` (see `Source`).
 * Everything here is what Consul, etcd and `http()` use: one target parser, one key-document decoder,
 * one backoff, one tree builder, an HTTP client with limits, a polling watch and a base class.
 */

export type {
  ChangeSet,
  ChangeSetDelta,
  ConfigData,
  ParseContext,
  ParsedDocument,
  Parser,
} from '../reader/contract.js';
export { ConfigError, type ConfigErrorCode } from '../reader/errors.js';
export {
  checkFormat,
  type Environ,
  type Format,
  formatFromPath,
  parseDocument,
} from '../reader/formats/index.js';
export type { Origin, OriginMap } from '../reader/provenance.js';
export { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
export { type ErrorListener, ErrorListeners } from './error-listeners.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  describeHttpFailure,
  HttpClient,
  type HttpFailure,
  type HttpGetOptions,
  HttpRequestError,
  type HttpRequestOptions,
  type HttpResponse,
  isTlsFailure,
  type TlsOptions,
} from './http-client.js';
export { type HttpStream, type HttpStreamHead, type HttpStreamOptions, splitLines } from './http-stream.js';
export {
  type DecodedDocument,
  decodeKeyDocument,
  type KeyDocumentInput,
  type KeyDocumentOptions,
} from './key-document.js';
export { type KeyChange, KeyTree, type KeyTreeState, parseScalar } from './key-tree.js';
export { describeKvOrigin, type OriginDescriber } from './origins.js';
export { type PollHost, type PollRegistry, pollingWatch } from './poll.js';
export type { Source } from './source.js';
export { SourceBase } from './source-base.js';
export { describeKeyTarget, type KeyTarget, type KeyTargetRules, parseKeyTarget } from './target.js';
export { assignKey, conflictError, type RepeatPolicy, TreeBuilder } from './tree-builder.js';
export { treeFromKeys } from './tree-from-keys.js';
