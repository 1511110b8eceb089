import { describe, expect, it } from 'vitest';
import { type FleetRecord, fleetRows, rolloutState } from '../../src/fleet.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');

function record(instance: string, revision: string | null, extra: Partial<FleetRecord> = {}): FleetRecord {
  return {
    service: 's',
    instance,
    host: 'h',
    pid: 1,
    startedAt: '2026-12-03T11:00:00Z',
    livecfgVersion: '0.3.0',
    configVersion: 1,
    checksum: '0123456789abcdef',
    publishedAt: '2026-12-03T11:59:00Z',
    heartbeatAt: new Date(NOW - 1000).toISOString(),
    ttlSeconds: 10,
    sources: [{ name: 'etcd:app/', status: 'ok', revision, pendingRevision: null }],
    lastRejected: null,
    ...extra,
  };
}

const rejection = (revision: string | null) => ({
  code: 'VALIDATION',
  source: 'etcd:app/',
  revision,
  message: 'limits.max: too big',
  at: '2026-12-03T11:59:30Z',
});

describe('fleetRows', () => {
  it('judges each instance against the wait revision and sorts rejected, behind, stale, ok', () => {
    const rows = fleetRows(
      [
        record('ok', '12'),
        record('behind', '9'),
        record('stale', '12', { heartbeatAt: new Date(NOW - 11_000).toISOString() }),
        record('refused', '9', { lastRejected: rejection('12') }),
        record('old-refusal', '9', { lastRejected: rejection('10') }),
      ],
      { waitRevision: '12', now: NOW },
    );
    expect(rows.map((row) => [row.instance, row.status])).toEqual([
      ['refused', 'rejected'],
      ['behind', 'behind'],
      ['old-refusal', 'behind'],
      ['stale', 'stale'],
      ['ok', 'ok'],
    ]);
    expect(rows[0]?.rejected?.message).toBe('limits.max: too big');
    expect(rows.at(-1)?.heartbeatAgeMs).toBe(1000);
    expect(rolloutState(rows)).toEqual({ done: false, ok: false });
  });

  it('without a wait revision, compares with the newest revision any instance applied (bigint-safe)', () => {
    const rows = fleetRows([record('a', '9007199254740993'), record('b', '9007199254740992')], { now: NOW });
    expect(rows.map((row) => [row.instance, row.status])).toEqual([
      ['b', 'behind'],
      ['a', 'ok'],
    ]);
  });

  it('a rollout is done when all applied or refused, ok only when all applied, never with no instance', () => {
    expect(rolloutState(fleetRows([record('a', '5')], { waitRevision: '5', now: NOW }))).toEqual({
      done: true,
      ok: true,
    });
    const split = fleetRows([record('a', '5'), record('b', '4', { lastRejected: rejection('5') })], {
      waitRevision: '5',
      now: NOW,
    });
    expect(rolloutState(split)).toEqual({ done: true, ok: false });
    expect(rolloutState([])).toEqual({ done: false, ok: false });
  });
});
