/** From instance records to the rows `livecfg fleet` and the inspector show, with each row's status. */
import type { FleetRecord, FleetRejection } from './record.js';

/** `ok`: applied the newest revision; `behind`: not yet; `rejected`: refused it; `stale`: no heartbeat within its TTL. */
export type FleetStatus = 'ok' | 'behind' | 'rejected' | 'stale';

/** One instance as the fleet view shows it. */
export interface FleetRow {
  instance: string;
  host: string;
  pid: number;
  livecfgVersion: string;
  configVersion: number;
  checksum: string;
  /** The highest store revision its sources applied (null: no source with revisions). */
  applied: string | null;
  sources: FleetRecord['sources'];
  /** Milliseconds since its last heartbeat (its clock against ours). */
  heartbeatAgeMs: number;
  status: FleetStatus;
  /** Set when `status` is `rejected`: what it refused and why (message redacted by the instance). */
  rejected: FleetRejection | null;
  publishedAt: string;
}

/** What the rows are judged against. */
export interface RowOptions {
  /** The revision every instance should have applied (default: the highest any instance applied). */
  waitRevision?: string;
  /** "Now", in ms (default `Date.now()`). */
  now?: number;
}

const ORDER: Record<FleetStatus, number> = { rejected: 0, behind: 1, stale: 2, ok: 3 };

/** The rows of `records`: rejected first, then behind, stale, ok; by instance within each. */
export function fleetRows(records: readonly FleetRecord[], options: RowOptions = {}): FleetRow[] {
  const now = options.now ?? Date.now();
  const applied = records.map(appliedRevision);
  const target = options.waitRevision ?? maxRevision(applied);
  const rows = records.map((record, index) => {
    const revision = applied[index] ?? null;
    const status = statusOf(record, revision, target, now);
    return {
      instance: record.instance,
      host: record.host,
      pid: record.pid,
      livecfgVersion: record.livecfgVersion,
      configVersion: record.configVersion,
      checksum: record.checksum,
      applied: revision,
      sources: record.sources,
      heartbeatAgeMs: Math.max(0, now - Date.parse(record.heartbeatAt)),
      status,
      rejected: status === 'rejected' ? record.lastRejected : null,
      publishedAt: record.publishedAt,
    };
  });
  return rows.sort(
    (a, b) =>
      ORDER[a.status] - ORDER[b.status] || (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0),
  );
}

/**
 * Whether a rollout to `revision` is over: every instance applied it or refused it (`done`), and
 * whether all applied it (`ok`). No instance at all is never done.
 */
export function rolloutState(rows: readonly FleetRow[]): { done: boolean; ok: boolean } {
  if (rows.length === 0) return { done: false, ok: false };
  const done = rows.every((row) => row.status === 'ok' || row.status === 'rejected');
  return { done, ok: done && rows.every((row) => row.status === 'ok') };
}

/** Parses instance keys' values; a value that is not a record is skipped. */
export function parseRecords(values: readonly string[]): FleetRecord[] {
  const records: FleetRecord[] = [];
  for (const value of values) {
    try {
      const parsed = JSON.parse(value) as FleetRecord;
      if (typeof parsed?.instance === 'string' && Array.isArray(parsed.sources)) records.push(parsed);
    } catch {
      // not a fleet record
    }
  }
  return records;
}

function statusOf(
  record: FleetRecord,
  applied: string | null,
  target: string | null,
  now: number,
): FleetStatus {
  const rejection = record.lastRejected;
  if (rejection && (target === null || rejection.revision === null || !below(rejection.revision, target))) {
    return 'rejected';
  }
  if (now - Date.parse(record.heartbeatAt) > record.ttlSeconds * 1000) return 'stale';
  if (target !== null && (applied === null || below(applied, target))) return 'behind';
  return 'ok';
}

function appliedRevision(record: FleetRecord): string | null {
  return maxRevision(record.sources.map((source) => source.revision));
}

function maxRevision(revisions: readonly (string | null)[]): string | null {
  let max: string | null = null;
  for (const revision of revisions) {
    if (revision !== null && (max === null || below(max, revision))) max = revision;
  }
  return max;
}

/** `a < b` for decimal revision strings. */
export function below(a: string, b: string): boolean {
  return BigInt(a) < BigInt(b);
}
