/**
 * Follows one config for an inspector: keeps the last published changes (redacted, serialised once)
 * and the recent errors, marks an error resolved once a later version publishes from its source, and
 * pushes each to the open streams. Events are keyed by this process's instance id + sequence.
 */
import type { ConfigError } from '../index.js';
import { INSTANCE_ID } from './instance.js';
import type { Redaction } from './redaction.js';
import { StreamHub, type StreamHubOptions, sseEvent } from './streams.js';
import type { InspectedConfig, InspectedHistoryEntry } from './types.js';
import { type ErrorView, errorView, type HistoryView, historyView, keysOf } from './views.js';

const RECENT_ERRORS = 20;

interface StoredEntry {
  view: HistoryView;
  /** The entry as an SSE `change` event. */
  event: string;
}

/** What a `change` of `changes$` carries that the feed reads. */
interface ChangeNotice {
  readonly version: number;
  readonly changed: readonly string[];
  readonly source: string;
  readonly sources?: readonly string[];
}

/** The history ring, the recent errors and the streams of one inspector. */
export class Feed {
  readonly hub: StreamHub;
  /** Oldest first. */
  private readonly entries: StoredEntry[] = [];
  /** Oldest first; resolved ones stay (marked) until pushed out. */
  private readonly errors: ErrorView[] = [];
  private errorSeq = 0;
  /** When the current version was published (or first seen, for the version loaded at start). */
  private since: { version: number; at: string };
  private readonly subscriptions: Array<{ unsubscribe(): void }> = [];

  constructor(
    private readonly config: InspectedConfig,
    private readonly redaction: Redaction,
    private readonly capacity: number,
    streams: StreamHubOptions,
    startedAt: string,
  ) {
    this.hub = new StreamHub(streams);
    const history = config.history();
    for (const entry of [...history].slice(0, capacity).reverse()) this.store(entry);
    const current = history.find((entry) => entry.version === config.version);
    this.since = { version: config.version, at: current?.timestamp ?? startedAt };
    this.subscriptions.push(
      config.changes$.subscribe({
        next: (change) => this.onChange(change),
        complete: () => this.close(),
      }),
      config.errors$.subscribe({ next: (error) => this.onError(error) }),
    );
  }

  /** The history, newest first. */
  history(): HistoryView[] {
    return this.entries.map((entry) => entry.view).reverse();
  }

  /** The recent errors, newest first, resolved ones marked. */
  recentErrors(): ErrorView[] {
    return [...this.errors].reverse();
  }

  /** The current version and when it was published. */
  current(): { version: number; since: string } {
    return { version: this.since.version, since: this.since.at };
  }

  /**
   * The events a new stream starts with: `hello` (instance and version), the recent errors, then the
   * changes after `lastEventId` (oldest first). When the history cannot fill the gap (too old, or from
   * another process), a `reset` event tells the client to reload everything.
   */
  replay(lastEventId: number | undefined): string {
    const hello = sseEvent('hello', { instance: INSTANCE_ID, ...this.current() });
    const errors = hello + this.errors.map((error) => sseEvent('error', error)).join('');
    if (lastEventId === undefined) return errors;
    const version = this.config.version;
    if (lastEventId === version) return errors;
    const missed = this.entries.filter((entry) => entry.view.version > lastEventId);
    const gapless = lastEventId < version && missed[0]?.view.version === lastEventId + 1;
    if (!gapless) return `${errors}${sseEvent('reset', { version })}`;
    return errors + missed.map((entry) => entry.event).join('');
  }

  /** Stops following the config and ends every stream. */
  close(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions.length = 0;
    this.hub.endAll(true);
  }

  private onChange(change: ChangeNotice): void {
    const { version } = change;
    const [latest] = this.config.history();
    const entry: InspectedHistoryEntry =
      latest?.version === version
        ? latest
        : {
            // A config whose history lags: build the entry from the change itself.
            version,
            timestamp: new Date().toISOString(),
            source: change.source,
            changes: change.changed.map((path) => {
              const explanation = this.config.explain(keysOf(path));
              return {
                path,
                previous: undefined,
                value: explanation.value,
                source: explanation.source,
                origin: explanation.origin,
              };
            }),
          };
    const stored = this.store(entry);
    this.since = { version, at: entry.timestamp };
    this.hub.broadcast(stored.event);
    this.resolve(change.sources ?? [change.source], version, entry.timestamp);
  }

  /** Marks the open errors of `sources` (or without a source) resolved by `version`. */
  private resolve(sources: readonly string[], version: number, at: string): void {
    const names = new Set(sources.map((name) => this.redaction.text(name)));
    for (const error of this.errors) {
      if (error.resolved || (error.source !== undefined && !names.has(error.source))) continue;
      error.resolved = { version, at };
      this.hub.broadcast(sseEvent('resolved', { id: error.id, version, at }));
    }
  }

  private onError(error: ConfigError): void {
    const view = errorView(error, this.redaction, INSTANCE_ID, ++this.errorSeq);
    this.errors.push(view);
    if (this.errors.length > RECENT_ERRORS) this.errors.shift();
    this.hub.broadcast(sseEvent('error', view));
  }

  private store(entry: InspectedHistoryEntry): StoredEntry {
    const view = historyView(entry, this.redaction);
    const stored = { view, event: sseEvent('change', { instance: INSTANCE_ID, ...view }, view.version) };
    this.entries.push(stored);
    if (this.entries.length > this.capacity) this.entries.shift();
    return stored;
  }
}
