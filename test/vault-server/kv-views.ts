/** The JSON shapes of KV v2 answers: version metadata and key metadata (§2.1, §2.5 of the API notes). */
import type { Clock } from './clock.js';
import type { KvKey, KvVersion } from './kv-store.js';

/** `{created_time, custom_metadata, deletion_time, destroyed, version}` of one version. */
export function versionView(
  clock: Clock,
  key: KvKey,
  version: number,
  entry: KvVersion,
): Record<string, unknown> {
  return {
    created_time: clock.timestamp(entry.createdMs),
    custom_metadata: key.customMetadata,
    deletion_time: entry.deletionMs === undefined ? '' : clock.timestamp(entry.deletionMs),
    destroyed: entry.destroyed,
    version,
  };
}

/** The body of `GET metadata/{path}`. */
export function metadataView(clock: Clock, key: KvKey): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const [version, entry] of [...key.versions].sort(([a], [b]) => a - b)) {
    versions[String(version)] = {
      created_time: clock.timestamp(entry.createdMs),
      deletion_time: entry.deletionMs === undefined ? '' : clock.timestamp(entry.deletionMs),
      destroyed: entry.destroyed,
    };
  }
  return {
    cas_required: key.casRequired,
    created_time: clock.timestamp(key.createdMs),
    current_version: key.currentVersion,
    custom_metadata: key.customMetadata,
    delete_version_after: `${key.deleteVersionAfterSec}s`,
    max_versions: key.maxVersions,
    oldest_version: key.oldestVersion,
    updated_time: clock.timestamp(key.updatedMs),
    versions,
  };
}
