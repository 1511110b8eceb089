import { SourceHealth } from '../publish/history.js';
import type { SourceStatus } from '../publish/types.js';
import type { ChangeSet, Parser } from '../reader/contract.js';
import { ConfigError, toConfigError } from '../reader/errors.js';
import type { Source } from '../source-kit/source.js';
import { readSource } from './read.js';
import type { ErrorReporter } from './report.js';
import { SourceWatch } from './source-watch.js';

/** One source and what the loader knows of it. */
export interface SourceEntry {
  readonly source: Source;
  /** The newest ChangeSet received, accepted or not: every reload merges every source's latest data. */
  latest: ChangeSet;
  /** The ChangeSet the current snapshot was built from. */
  committed: ChangeSet;
  readonly health: SourceHealth;
  watch?: SourceWatch;
  removed: boolean;
}

/** What a {@link SourceSet} needs from the loader's settings. */
export interface SourceSetSettings {
  readTimeoutMs: number;
  watchBackoff: { initialMs?: number; maxMs?: number } | undefined;
  parsers: readonly Parser[];
}

/**
 * The sources of one config in priority order, with their health: reads them, keeps their watches
 * subscribed (each change goes to `onChange`, each failure to the reporter) and closes them.
 */
export class SourceSet {
  /** The sources the current snapshot was built from, lowest priority first. */
  entries: SourceEntry[];

  constructor(
    sources: readonly Source[],
    initial: readonly ChangeSet[],
    private readonly settings: SourceSetSettings,
    private readonly reporter: ErrorReporter,
    private readonly onChange: (entry: SourceEntry, changeSet: ChangeSet) => void,
  ) {
    this.entries = sources.map((source, index) => entryFor(source, initial[index] as ChangeSet));
  }

  /** The entry of `source`, if it is part of the config. */
  find(source: Source): SourceEntry | undefined {
    return this.entries.find((entry) => entry.source === source);
  }

  /** Throws `INVALID_ARGUMENT` when `source` is part of the config already. */
  assertNew(source: Source): void {
    if (this.find(source)) {
      throw new ConfigError('INVALID_ARGUMENT', `${source.name}: the source was added already`, {
        source: source.name,
      });
    }
  }

  /** Attaches and reads a source that is not part of the config yet; its entry is not added. */
  async readNew(source: Source, signal?: AbortSignal): Promise<SourceEntry> {
    source.attach?.({ parsers: this.settings.parsers });
    return entryFor(source, await readSource(source, this.settings.readTimeoutMs, signal));
  }

  /** Re-reads a source (its health records the outcome); the abort of `signal` is passed on as is. */
  async read(entry: SourceEntry, signal?: AbortSignal): Promise<ChangeSet> {
    try {
      const changeSet = await readSource(entry.source, this.settings.readTimeoutMs, signal);
      entry.health.read();
      entry.latest = changeSet;
      return changeSet;
    } catch (error) {
      if (signal?.aborted) throw error;
      const failure = toConfigError(error, 'SOURCE_READ', entry.source.name);
      entry.health.failed(this.reporter.redact(failure));
      throw failure;
    }
  }

  /** Subscribes a source's errors and watch (kept subscribed with backoff). */
  watch(entry: SourceEntry): void {
    const { source } = entry;
    const failed = (error: ConfigError): void => {
      if (entry.removed) return;
      entry.health.failed(this.reporter.redact(error));
      this.reporter.report(error);
    };
    source.onError?.(failed);
    if (!source.watch || entry.removed) return;
    entry.watch = new SourceWatch(
      source,
      {
        change: (changeSet) => {
          entry.health.read();
          this.onChange(entry, changeSet);
        },
        error: failed,
      },
      this.settings.watchBackoff,
    );
    entry.watch.start();
  }

  /** A change of `entry` that was rejected: its health and errors$ say why. */
  rejected(entry: SourceEntry, error: unknown): void {
    const failure = toConfigError(error, 'SOURCE_READ', entry.source.name);
    entry.health.failed(this.reporter.redact(failure));
    this.reporter.report(failure);
  }

  /** Whether every source's latest data is what the snapshot was built from, `except` aside. */
  cleanExcept(except?: SourceEntry): boolean {
    return this.entries.every((entry) => entry === except || entry.latest === entry.committed);
  }

  /** Each source's health (`redact` masks secrets in the messages). */
  statuses(redact: (text: string) => string): SourceStatus[] {
    return this.entries.map((entry) => entry.health.status(redact));
  }

  /** Stops one source's watch and closes it. */
  async remove(entry: SourceEntry): Promise<void> {
    entry.removed = true;
    entry.watch?.stop();
    await entry.source.close?.();
  }

  /** Stops every watch and closes every source (failures ignored). */
  async close(): Promise<void> {
    for (const entry of this.entries) entry.watch?.stop();
    await Promise.allSettled(this.entries.map((entry) => entry.source.close?.()));
  }
}

function entryFor(source: Source, changeSet: ChangeSet): SourceEntry {
  const health = new SourceHealth(source.name);
  health.read(changeSet.timestamp instanceof Date ? changeSet.timestamp : new Date());
  return { source, latest: changeSet, committed: changeSet, health, removed: false };
}
