/** Shared by the fleet tests: wait for instance records in a store, with a deadline. */

import { parseRecords } from '../../src/fleet/rows.js';
import type { FleetRecord, FleetStore } from '../../src/fleet.js';
import { fleetPrefix } from '../../src/fleet.js';

/**
 * Resolves with the records of `service` once `predicate` holds for them, re-reading after each change
 * under the prefix (blocking reads); rejects after `timeoutMs` with the last records seen.
 */
export async function waitForRecords(
  store: FleetStore,
  service: string,
  predicate: (records: FleetRecord[]) => boolean,
  timeoutMs = 10_000,
): Promise<FleetRecord[]> {
  const prefix = fleetPrefix(undefined, service);
  const deadline = Date.now() + timeoutMs;
  let read = await store.list(prefix, { background: false });
  for (;;) {
    const records = parseRecords(read.keys.map((key) => key.value));
    if (predicate(records)) return records;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new Error(`no matching fleet records within ${timeoutMs} ms; last: ${JSON.stringify(records)}`);
    }
    read = await store.waitList(prefix, read.revision, Math.min(left, 2000), { background: false });
  }
}
