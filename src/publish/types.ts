/** What publishing hands out: change events, history entries, source health. Types only. */

import type { Layer } from '../reader/layers.js';
import type { Origin } from '../reader/provenance.js';
import type { DeepReadonly } from '../reader/typed-paths.js';

/** What the publisher needs of a built candidate: its value, its layers, and where it differs. */
export interface Candidate {
  value: unknown;
  layers: Layer[];
  /** An incremental build: the only paths at which `value` differs from the current snapshot's. */
  valueRoots?: (readonly string[])[];
}

/** One published change. */
export interface ConfigChange<T = Record<string, unknown>> {
  version: number;
  previous: DeepReadonly<T>;
  current: DeepReadonly<T>;
  /** Dotted paths of the changed leaves. */
  changed: string[];
  /**
   * What triggered it: a source's name, or `set`, `delete`, `sync`; when several sources changed in
   * one reload, their names joined with `, ` (for display: `sources` tells them apart).
   */
  source: string;
  /** Every trigger's name, one entry each: unambiguous even when a name contains a comma. */
  sources: readonly string[];
}

/** The health of one source, as `config.sources()` reports it. Times are ISO strings; `null` when never. */
export interface SourceStatus {
  name: string;
  status: 'ok' | 'error';
  /** The last successful read or watch emission. */
  lastReadAt: string | null;
  /** The last time this source's data changed what was published. */
  lastChangeAt: string | null;
  /** The last failure (cleared by the next successful read): code and message, message redacted. */
  lastError: { code: string; message: string } | null;
}

/** One changed leaf in a {@link HistoryEntry}. Values are raw (not redacted). */
export interface ChangeDetail {
  path: string;
  previous: unknown;
  value: unknown;
  /** The source that supplies the new value (`undefined` when the path was removed). */
  source: string | undefined;
  origin: Origin | undefined;
  /** The origin as its source describes it (see `Explanation.description`). */
  description?: string | undefined;
}

/** One published change, as `config.history()` keeps it. */
export interface HistoryEntry {
  version: number;
  /** ISO time of publication. */
  timestamp: string;
  /** What triggered it, as in {@link ConfigChange.source}. */
  source: string;
  /** The changed leaves (at most 100; `more` counts the others). */
  changes: ChangeDetail[];
  /** How many more leaves changed than `changes` lists. */
  more?: number;
}
