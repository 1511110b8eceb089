/** The fleet: instances report what they applied to etcd or Consul; the fleet view reads it back. */
export type { ConsulStoreOptions } from './consul-store.js';
export type { EtcdStoreOptions } from './etcd-store.js';
export { type PendingWrite, type PreviewTarget, targetReads, WritePreview } from './preview.js';
export type { FleetRecord, FleetRejection, FleetSourceReport } from './record.js';
export {
  FLEET_STORE_WARNING,
  type FleetReporter,
  type FleetReporterOptions,
  fleetReporter,
} from './reporter.js';
export {
  type FleetRow,
  type FleetStatus,
  fleetRows,
  parseRecords,
  type RowOptions,
  rolloutState,
} from './rows.js';
export type { CasResult, FleetStore, PrefixRead, StoredKey } from './store.js';
export {
  DEFAULT_FLEET_PREFIX,
  type FleetStoreOptions,
  fleetKey,
  fleetPrefix,
  openFleetStore,
} from './stores.js';
export { type FleetSnapshot, FleetWatch, type FleetWatchOptions, readFleet } from './view.js';
