/** Shared types of the Vault test server. */

/** One request as the server saw it. */
export interface RequestRecord {
  id: number;
  method: string;
  /** URL path without the query, e.g. `/v1/secret/metadata/app`. */
  path: string;
  query: Record<string, string>;
  /** `X-Vault-Namespace` as sent. */
  namespace: string | undefined;
  status?: number;
  startedAt: number;
  endedAt?: number;
  /** Bytes received for this request (request line, headers, body), from the socket counters. */
  bytesIn?: number;
  /** Bytes sent for this response (status line, headers, body), from the socket counters. */
  bytesOut?: number;
  /** The connection was dropped by fault injection. */
  dropped: boolean;
}

/** Events the server emits (for tests to wait on). */
export interface VaultServerEvents {
  request: [RequestRecord];
  response: [RequestRecord];
}

/** What an injected failure answers. */
export type FaultBody = 'json' | 'html' | 'empty';

/** Options of `startVaultServer`. */
export interface VaultServerOptions {
  /** Port to listen on (default: a free one). */
  port?: number;
  /** KV v2 mounts present in every namespace (default `['secret']`). */
  mounts?: string[];
  /** Namespaces besides the root (`'ns1'`, `'ns1/team'`). Default none. */
  namespaces?: string[];
  /** The root token (default `root`). */
  rootToken?: string;
}
