/** The inspector's options and the part of the public `Config` API it reads. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FleetStoreOptions } from '../fleet.js';
import type { ConfigError, ConfigRedaction, Explanation, StandardSchemaV1 } from '../index.js';

/** The part of an rxjs `Observable` the inspector uses (a `Config`'s `changes$` and `errors$` are ones). */
export interface Subscribable<T> {
  subscribe(observer: { next?: (value: T) => void; complete?: () => void }): { unsubscribe(): void };
}

/** One source's health, as `config.sources()` reports it (see `SourceStatus`). */
export interface InspectedSourceStatus {
  name: string;
  status: 'ok' | 'error';
  lastReadAt: string | null;
  lastChangeAt: string | null;
  lastError: { code: string; message: string } | null;
}

/** One changed leaf of a history entry (values raw: the inspector redacts them). */
export interface InspectedChangeDetail {
  path: string;
  previous: unknown;
  value: unknown;
  source: string | undefined;
  origin: unknown;
  /** The origin as its source describes it. */
  description?: string | undefined;
}

/** One published change, as `config.history()` keeps it (newest first). */
export interface InspectedHistoryEntry {
  version: number;
  timestamp: string;
  source: string;
  changes: InspectedChangeDetail[];
  /** How many more leaves changed than `changes` lists. */
  more?: number;
}

/**
 * What the inspector reads from a config: only public `Config` members. A `Config` from
 * `loadConfig` is one; anything shaped like it (a wrapper, a test double) works too.
 */
export interface InspectedConfig {
  readonly value: unknown;
  readonly version: number;
  explain(path: readonly (string | number)[]): Explanation;
  /** Only `version` is read; the rest comes from `history()`. */
  readonly changes$: Subscribable<{
    readonly version: number;
    readonly changed: readonly string[];
    readonly source: string;
    /** Every trigger's name (resolves the errors of each). */
    readonly sources?: readonly string[];
  }>;
  readonly errors$: Subscribable<ConfigError>;
  sources(): readonly InspectedSourceStatus[];
  history(): readonly InspectedHistoryEntry[];
  /** The config's one redaction service: every body the inspector sends goes through it. */
  readonly redaction: ConfigRedaction;
  /** The config's schema: the details drawer shows each key's description, default, type and constraints. */
  readonly schema?: StandardSchemaV1 | undefined;
}

/** A refusal from {@link InspectorOptions.authorize}: the status to answer and an optional message/headers. */
export interface AuthorizeDenial {
  status: 401 | 403;
  message?: string;
  /** e.g. `{ 'www-authenticate': 'Bearer' }` */
  headers?: Record<string, string>;
}

/** Options of {@link inspector}. */
export interface InspectorOptions {
  /**
   * Called for every request before anything is read. `true` lets it through; `false` answers 403;
   * an {@link AuthorizeDenial} answers its status; a throw (or rejection) answers 401. May be async.
   */
  authorize?(request: IncomingMessage): boolean | AuthorizeDenial | Promise<boolean | AuthorizeDenial>;
  /** How many published changes to keep for `/api/history` and `Last-Event-ID` replay (default 100). */
  history?: number;
  /**
   * More secret paths, on top of the config's own rules (prefer `loadConfig({ secrets })`, which every
   * output of the config honours): dotted keys, `*` matching any one key (`tenants.*.dsn`), or key
   * arrays. Every leaf at or below them shows as `[redacted]`.
   */
  secrets?: readonly (string | readonly string[])[];
  /** The page's title (default `livecfg inspector`). */
  title?: string;
  /** Concurrent `/api/events` streams; more answer 503 (default 100). */
  maxStreams?: number;
  /** The service's name on the instance card and `/api/instance` (default: the title). */
  service?: string;
  /** Interval of the SSE heartbeat comment (default 15,000 ms). */
  heartbeatMs?: number;
  /**
   * Show a service's fleet (`GET /api/fleet` and a Fleet section): the instances that report under
   * `livecfg/fleet/<service>/` in etcd or Consul (see `livecfg/fleet`), live from a watch on that prefix.
   */
  fleet?: FleetStoreOptions & { service: string };
}

/** Calls the next middleware (express/connect); with an error, their error handler. */
export type Next = (error?: unknown) => void;

/**
 * The request handler `inspector()` returns: use it with `http.createServer(handler)`, or mount it
 * (`app.use('/config', handler)`) in express, connect or fastify (via @fastify/middie).
 */
export interface Inspector {
  (request: IncomingMessage, response: ServerResponse, next?: Next): void;
  /** Open `/api/events` streams. */
  readonly streams: number;
  /** Ends every stream and stops following the config (it also happens when the config closes). */
  close(): void;
}
