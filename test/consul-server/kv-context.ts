/** What a KV handler gets: the parsed request, the response writer, and the server's state. */
import type { AclConfig } from './acl.js';
import type { BlockingQueries } from './blocking.js';
import type { ResponseContext } from './http.js';
import type { SessionTable } from './sessions.js';
import type { KvStore, StoredEntry } from './store.js';

/** One parsed request to `/v1/kv/<key>`. */
export interface KvRequest {
  readonly method: string;
  /** The key: the decoded URL path after `/v1/kv/`. */
  readonly key: string;
  readonly query: URLSearchParams;
  /** The raw query string (for "Conflicting flags" messages). */
  readonly rawQuery: string;
  /** The resolved ACL token, if any. */
  readonly token: string | undefined;
  /** The declared body size (`Content-Length`), when known. */
  readonly contentLength: number | undefined;
  /** Reads the request body. */
  readBody(): Promise<Buffer>;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  /** Called once when a blocking query parks (for tests that wait for it). */
  onPark(): void;
  readonly response: ResponseContext;
}

/** The server state the KV handlers share. */
export interface KvState {
  readonly store: KvStore;
  readonly blocking: BlockingQueries;
  readonly sessions: SessionTable;
  /** The current ACL config (may change at runtime through `setAcl`). */
  acl(): AclConfig | undefined;
  readonly datacenter: string;
  /** `kv_max_value_size` in bytes (512 KiB by default). */
  readonly maxValueSize: number;
  /** Random source for the blocking-query jitter. */
  readonly random: () => number;
}

/** Serialises entries in Consul's field order (`Session` only while a session holds the key). */
export function entriesJson(entries: readonly StoredEntry[]): string {
  const items = entries.map(
    (entry) =>
      `{"LockIndex":${entry.lockIndex},"Key":${JSON.stringify(entry.key)},"Flags":${entry.flags},` +
      `"Value":${entry.value === null ? 'null' : JSON.stringify(entry.value.toString('base64'))},` +
      (entry.session === undefined ? '' : `"Session":${JSON.stringify(entry.session)},`) +
      `"CreateIndex":${entry.createIndex},"ModifyIndex":${entry.modifyIndex}}`,
  );
  return `[${items.join(',')}]`;
}

/** Go's `strconv.ParseUint(text, 10, 64)`: the value, or the error message Consul returns as a 500. */
export function parseUint64(text: string): bigint | string {
  if (/^\d+$/.test(text)) {
    const value = BigInt(text);
    if (value <= 0xffff_ffff_ffff_ffffn) return value;
    return `strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`;
  }
  return `strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`;
}
