/** Public types of the Consul test server. */
import type { AclConfig } from './acl.js';

/** Options of {@link startConsulServer}. */
export interface ConsulServerOptions {
  /** Enables ACLs (off by default: every request may do everything). */
  acl?: AclConfig;
  /** The agent's datacenter (default `dc1`); another `?dc=` gets 500 "No path to datacenter". */
  datacenter?: string;
  /** What `/v1/status/leader` reports (default `127.0.0.1:8300`). */
  leader?: string;
  /** `kv_max_value_size` (default 512 KiB). */
  maxValueSize?: number;
  /** Random source for the blocking-query jitter (default Math.random; `() => 0` for none). */
  random?: () => number;
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /**
   * Session limits: Consul's `session_ttl_min` (default 10 s; lower it to test expiry quickly), and
   * the multiplier after which a TTL session expires (Consul's fixed `SessionTTLMultiplier`, 2).
   */
  sessions?: { minTtlMs?: number; ttlMultiplier?: number };
  /** The agent's node name (default `consul-test`). */
  node?: string;
}

/** One HTTP request as the server saw it. */
export interface RequestRecord {
  readonly id: number;
  readonly method: string;
  /** The path, still URL-encoded, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** `Date.now()` when the request arrived. */
  readonly startedAt: number;
  /** The response status, once sent. */
  status?: number;
  /** When the response was sent or the connection closed. */
  endedAt?: number;
  /** Whether it parked as a blocking query. */
  parked: boolean;
  /** Whether the client closed the connection before the response was sent. */
  aborted: boolean;
}

/** Events of {@link ConsulTestServer}. */
export interface ConsulServerEvents {
  request: [RequestRecord];
  park: [RequestRecord];
  response: [RequestRecord];
  abort: [RequestRecord];
  /** A session's TTL passed without a renew; its keys were released or deleted. */
  'session-expired': [{ id: string; name: string }];
}

/** A stored entry as the programmatic helpers return it. */
export interface EntryView {
  key: string;
  value: string | null;
  flags: string;
  createIndex: number;
  modifyIndex: number;
  /** The session holding the key, if any. */
  session?: string;
}
