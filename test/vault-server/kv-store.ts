/**
 * One KV v2 mount's storage, as `vault-plugin-secrets-kv` keeps it: per key a metadata record and
 * versions (data, created/deletion time, destroyed), pruning at max_versions, CAS checks.
 */
import type { Clock } from './clock.js';

/** One version of a key. */
export interface KvVersion {
  data: Record<string, unknown> | null;
  createdMs: number;
  /** Epoch ms of the (soft) deletion, possibly in the future (`delete_version_after`); undefined when not deleted. */
  deletionMs: number | undefined;
  destroyed: boolean;
}

/** The metadata record of a key. */
export interface KvKey {
  currentVersion: number;
  oldestVersion: number;
  createdMs: number;
  updatedMs: number;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfterSec: number;
  customMetadata: Record<string, string> | null;
  versions: Map<number, KvVersion>;
}

/** Mount-level config (`/config`). */
export interface KvConfig {
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfterSec: number;
}

/** A write rejected by a check: the status and Vault's message. */
export class KvWriteError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** How a read of `data/` turned out (§2.1/§2.2 of the API notes). */
export type KvRead =
  | { kind: 'value'; version: number; entry: KvVersion; key: KvKey }
  | { kind: 'deleted'; version: number; entry: KvVersion; key: KvKey }
  | { kind: 'absent' };

/** The keys of one KV v2 mount. */
export class KvMount {
  readonly keys = new Map<string, KvKey>();
  readonly config: KvConfig = { maxVersions: 0, casRequired: false, deleteVersionAfterSec: 0 };

  constructor(private readonly clock: Clock) {}

  /** Writes a new version (`POST data/{path}`); checks CAS; prunes old versions. */
  write(path: string, data: Record<string, unknown>, cas?: number): { version: number; entry: KvVersion } {
    const existing = this.keys.get(path);
    const casRequired = this.config.casRequired || (existing?.casRequired ?? false);
    if (cas === undefined && casRequired)
      throw new KvWriteError(400, 'check-and-set parameter required for this call');
    if (cas !== undefined) {
      const ok = existing === undefined ? cas === 0 : cas === existing.currentVersion;
      if (!ok) throw new KvWriteError(400, 'check-and-set parameter did not match the current version');
    }
    const now = this.clock.now();
    const key: KvKey = existing ?? {
      currentVersion: 0,
      oldestVersion: 0,
      createdMs: now,
      updatedMs: now,
      maxVersions: 0,
      casRequired: false,
      deleteVersionAfterSec: 0,
      customMetadata: null,
      versions: new Map(),
    };
    this.keys.set(path, key);
    const version = key.currentVersion + 1;
    const after = key.deleteVersionAfterSec || this.config.deleteVersionAfterSec;
    const entry: KvVersion = {
      data: structuredClone(data),
      createdMs: now,
      deletionMs: after > 0 ? now + after * 1000 : undefined,
      destroyed: false,
    };
    key.versions.set(version, entry);
    key.currentVersion = version;
    key.updatedMs = now;
    this.prune(key);
    return { version, entry };
  }

  private prune(key: KvKey): void {
    const max = Math.max(key.maxVersions, this.config.maxVersions) || 10;
    if (key.currentVersion - key.oldestVersion < max) return;
    const keepFrom = key.currentVersion - max + 1;
    for (const version of [...key.versions.keys()]) if (version < keepFrom) key.versions.delete(version);
    key.oldestVersion = keepFrom;
  }

  /** Reads a version (0 or undefined = current) as `GET data/{path}?version=` sees it. */
  read(path: string, version = 0): KvRead {
    const key = this.keys.get(path);
    if (!key || key.currentVersion === 0) return { kind: 'absent' };
    const wanted = version === 0 ? key.currentVersion : version;
    const entry = key.versions.get(wanted);
    if (!entry) return { kind: 'absent' };
    const deleted = entry.deletionMs !== undefined && entry.deletionMs <= this.clock.now();
    if (deleted || entry.destroyed) return { kind: 'deleted', version: wanted, entry, key };
    return { kind: 'value', version: wanted, entry, key };
  }

  /** Soft-deletes versions (the current one when `versions` is undefined). Unknown versions are skipped. */
  softDelete(path: string, versions?: number[]): void {
    const key = this.keys.get(path);
    if (!key) return;
    const now = this.clock.now();
    for (const version of versions ?? [key.currentVersion]) {
      const entry = key.versions.get(version);
      if (!entry || entry.destroyed) continue;
      if (entry.deletionMs !== undefined && entry.deletionMs <= now) continue;
      entry.deletionMs = now;
    }
  }

  /** Clears the deletion of versions; destroyed ones are skipped. */
  undelete(path: string, versions: number[]): void {
    const key = this.keys.get(path);
    if (!key) return;
    const after = key.deleteVersionAfterSec || this.config.deleteVersionAfterSec;
    for (const version of versions) {
      const entry = key.versions.get(version);
      if (!entry || entry.destroyed) continue;
      entry.deletionMs = after > 0 ? this.clock.now() + after * 1000 : undefined;
    }
  }

  /** Destroys versions: data removed for good, metadata kept. */
  destroy(path: string, versions: number[]): void {
    const key = this.keys.get(path);
    if (!key) return;
    for (const version of versions) {
      const entry = key.versions.get(version);
      if (!entry) continue;
      entry.destroyed = true;
      entry.data = null;
    }
  }

  /** Deletes the key's metadata and every version. */
  deleteMetadata(path: string): void {
    this.keys.delete(path);
  }

  /** The names directly under a folder (`""` = the mount root), folders with a trailing `/`; sorted. */
  list(folder: string): string[] {
    const prefix = folder === '' || folder.endsWith('/') ? folder : `${folder}/`;
    const names = new Set<string>();
    for (const path of this.keys.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      names.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    return [...names].sort();
  }
}
