import type { ChangeDetail, HistoryEntry, SourceStatus } from '../config-types.js';
import type { ConfigError } from '../reader/errors.js';
import { explainPath } from '../reader/explain.js';
import type { Layer } from '../reader/layers.js';

/** What the loader remembers of one published change; the details are computed when asked for. */
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
  entry?: HistoryEntry;
}

/**
 * A ring buffer of the last `limit` published changes. Snapshots share unchanged subtrees, so keeping
 * a hundred of them costs little more than the paths that changed.
 */
export class HistoryLog {
  private readonly items: Recorded[] = [];

  constructor(private readonly limit: number) {}

  /** Records a published change (newest last). */
  record(item: Omit<Recorded, 'entry'>): void {
    if (this.limit <= 0) return;
    this.items.push(item);
    if (this.items.length > this.limit) this.items.shift();
  }

  /** The entries, newest first, each with the previous and new value, source and origin per changed leaf. */
  list(): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    for (let index = this.items.length - 1; index >= 0; index--) {
      const item = this.items[index] as Recorded;
      item.entry ??= {
        version: item.version,
        timestamp: item.timestamp,
        source: item.source,
        changes: item.changedPaths.map((path): ChangeDetail => {
          const explained = explainPath(item.layers, item.current, path);
          // Like explain(), a value a resolver produced (decrypted, from Vault) is not shown.
          const before = explainPath(item.previousLayers, item.previous, path);
          return {
            path: explained.path,
            previous: before.value,
            value: explained.value,
            source: explained.value === undefined ? undefined : explained.source,
            origin: explained.value === undefined ? undefined : explained.origin,
          };
        }),
      };
      out.push(item.entry);
    }
    return out;
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
