/** The JSON an instance writes under `livecfg/fleet/<service>/<instance>`, and how it is built. */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Config, ConfigError } from '../index.js';

/** One source as the instance applied it. */
export interface FleetSourceReport {
  name: string;
  status: 'ok' | 'error';
  /** Store revision of the data the snapshot holds (etcd revision, Consul index); null for other sources. */
  revision: string | null;
  /** Newer data received and not applied (rejected or pending); else null. */
  pendingRevision: string | null;
}

/** The last change the instance refused. The message is redacted by the config. */
export interface FleetRejection {
  code: string;
  source: string | null;
  /** The store revision of the refused data, when its source has revisions. */
  revision: string | null;
  message: string;
  /** ISO time. */
  at: string;
}

/** What one instance reports. Times are ISO strings. */
export interface FleetRecord {
  service: string;
  instance: string;
  host: string;
  pid: number;
  startedAt: string;
  livecfgVersion: string;
  /** `config.version`. */
  configVersion: number;
  /** Short hash of the published value (equal across instances that hold the same config). */
  checksum: string;
  publishedAt: string;
  /** The last time the instance rewrote its key (at least every ttl/2 s while it lives). */
  heartbeatAt: string;
  ttlSeconds: number;
  sources: FleetSourceReport[];
  /** The last refused change, while a source's refused data is still pending; else null. */
  lastRejected: FleetRejection | null;
}

/** The identity part of a record, fixed for the reporter's life. */
export type FleetIdentity = Pick<
  FleetRecord,
  'service' | 'instance' | 'host' | 'pid' | 'startedAt' | 'livecfgVersion' | 'ttlSeconds'
>;

/** sha256 of the value's JSON, first 16 hex digits. */
export function checksumOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** The record of `config` now. */
export function buildRecord(
  config: Config<unknown>,
  identity: FleetIdentity,
  state: { publishedAt: string; rejection: FleetRejection | null },
): FleetRecord {
  const sources = config.sources().map((source) => ({
    name: source.name,
    status: source.status,
    revision: source.revision,
    pendingRevision: source.pendingRevision,
  }));
  const pending = sources.some((source) => source.pendingRevision !== null || source.status === 'error');
  return {
    ...identity,
    configVersion: config.version,
    checksum: checksumOf(config.value),
    publishedAt: state.publishedAt,
    heartbeatAt: new Date().toISOString(),
    sources,
    lastRejected: pending ? state.rejection : null,
  };
}

/** A rejection from an error of `errors$`, with its source's pending revision. */
export function rejectionOf(config: Config<unknown>, error: ConfigError): FleetRejection {
  const source = error.source ?? null;
  const status = source === null ? undefined : config.sources().find((item) => item.name === source);
  return {
    code: error.code,
    source,
    revision: status?.pendingRevision ?? null,
    message: error.message,
    at: new Date().toISOString(),
  };
}

let cachedVersion: string | undefined;

/** The installed livecfg's version (package.json beside `dist/`, or beside `src/` under tsx). */
export function livecfgVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  const require = createRequire(import.meta.url);
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const manifest = require(path) as { name?: string; version?: string };
      if (manifest.name === 'livecfg' && manifest.version) {
        cachedVersion = manifest.version;
        return cachedVersion;
      }
    } catch {
      // not at this depth
    }
  }
  cachedVersion = 'unknown';
  return cachedVersion;
}
