import type { ConfigError } from '../reader/errors.js';
import { explainPath } from '../reader/explain.js';
import { withoutOriginScans } from '../reader/formats/offset-origins.js';
import type { Layer } from '../reader/layers.js';
import type { ChangeDetail, HistoryEntry, SourceStatus } from './types.js';

/** What the loader remembers of one published change, until its details are written down. */
interface Recorded {
  version: number;
  timestamp: string;
  source: string;
  changedPaths: readonly (readonly string[])[];
  previous: unknown;
  current: unknown;
  /** The layers of the previous snapshot (a resolved previous value is not shown either). */
  previousLayers: readonly Layer[];
  layers: readonly Layer[];
}

/** The most changed leaves an entry details; the rest are counted in `more`. */
const MAX_DETAILS = 100;

/**
 * A ring buffer of the last `limit` published changes. Only the newest entry holds on to its snapshots
 * and layers (its details are worked out when asked for, or when the next change arrives); older ones
 * keep just their details, at most {@link MAX_DETAILS} leaves each, so the history never pins old
 * documents or whole old trees in memory.
 *
 * Provenance is worked out only when asked for: `list()` looks origins up (a document's line index is
 * then built, as `explain()` would), while an entry settled because the next change arrived takes only
 * the origins its documents already know (see `withoutOriginScans`): nothing scans a document on the
 * reload path, or after it, for a history nobody reads.
 */
export class HistoryLog {
  private readonly entries: HistoryEntry[] = [];
  private pending: Recorded | undefined;

  constructor(private readonly limit: number) {}

  /** Records a published change (newest last). */
  record(item: Recorded): void {
    if (this.limit <= 0) return;
    withoutOriginScans(() => this.settle());
    this.pending = item;
  }

  /** The entries, newest first, each with the previous and new value, source and origin per changed leaf. */
  list(): HistoryEntry[] {
    this.settle();
    return [...this.entries].reverse();
  }

  private settle(): void {
    const item = this.pending;
    if (!item) return;
    this.pending = undefined;
    const listed = item.changedPaths.slice(0, MAX_DETAILS);
    const entry: HistoryEntry = {
      version: item.version,
      timestamp: item.timestamp,
      source: item.source,
      changes: listed.map((path): ChangeDetail => {
        const explained = explainPath(item.layers, item.current, path);
        // Like explain(), a value a resolver produced (decrypted, from Vault) is not shown. Only the
        // previous value is needed: its document is not scanned for a line (`resolvedBy` needs none).
        const before = withoutOriginScans(() => explainPath(item.previousLayers, item.previous, path));
        return {
          path: explained.path,
          previous: before.value,
          value: explained.value,
          source: explained.value === undefined ? undefined : explained.source,
          origin: explained.value === undefined ? undefined : explained.origin,
          description: explained.value === undefined ? undefined : explained.description,
        };
      }),
    };
    if (item.changedPaths.length > listed.length) entry.more = item.changedPaths.length - listed.length;
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
  }
}

/** One source's health: when it last read, when its data last changed what was published, its last error. */
export class SourceHealth {
  private lastReadAt: string | null = null;
  private lastChangeAt: string | null = null;
  private lastError: { code: string; message: string } | null = null;

  constructor(readonly name: string) {}

  /** A successful read or watch emission. */
  read(at = new Date()): void {
    this.lastReadAt = at.toISOString();
    this.lastError = null;
  }

  /** Its data took part in a published change. */
  changed(at = new Date()): void {
    this.lastChangeAt = at.toISOString();
  }

  /** A failure: a read, a watch, a parse, or a change of its that was rejected. */
  failed(error: ConfigError): void {
    this.lastError = { code: error.code, message: error.message };
  }

  /** The status as `config.sources()` reports it (`redact` masks secrets in the message). */
  status(redact: (text: string) => string): SourceStatus {
    return {
      name: this.name,
      status: this.lastError ? 'error' : 'ok',
      lastReadAt: this.lastReadAt,
      lastChangeAt: this.lastChangeAt,
      lastError: this.lastError
        ? { code: this.lastError.code, message: redact(this.lastError.message) }
        : null,
    };
  }
}
