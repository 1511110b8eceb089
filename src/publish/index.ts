/**
 * Publishing: the deep-frozen snapshot, the diff of two snapshots, the fan-out to path watchers, and
 * the history of published changes. What other units use of it:
 */
export { changedPathsUpTo } from './diff.js';
export { PathFanout } from './fanout.js';
export { SourceHealth } from './history.js';
export { Publisher } from './publisher.js';
export { Snapshot } from './snapshot.js';
export type { ChangeDetail, ConfigChange, HistoryEntry, SourceStatus } from './types.js';
