/**
 * Follows one config for an inspector: keeps the last published changes (redacted, serialised once)
 * and the recent errors, and pushes each to the open streams.
 */
import type { ConfigError, ConfigRedaction as Redaction } from '../index.js';
import { StreamHub, type StreamHubOptions, sseEvent } from './streams.js';
import type { InspectedConfig, InspectedHistoryEntry } from './types.js';
import { errorView, type HistoryView, historyView, keysOf } from './views.js';

const RECENT_ERRORS = 20;

interface StoredEntry {
  view: HistoryView;
  /** The entry as an SSE `change` event. */
  event: string;
}

/** The history ring, the recent errors and the streams of one inspector. */
export class Feed {
  readonly hub: StreamHub;
  /** Oldest first. */
  private readonly entries: StoredEntry[] = [];
  private readonly errors: string[] = [];
  private errorSeq = 0;
  private readonly subscriptions: Array<{ unsubscribe(): void }> = [];

  constructor(
    private readonly config: InspectedConfig,
    private readonly redaction: Redaction,
    private readonly capacity: number,
    streams: StreamHubOptions,
  ) {
    this.hub = new StreamHub(streams);
    for (const entry of [...config.history()].slice(0, capacity).reverse()) this.store(entry);
    this.subscriptions.push(
      config.changes$.subscribe({
        next: (change) => this.onChange(change.version, change),
        complete: () => this.close(),
      }),
      config.errors$.subscribe({ next: (error) => this.onError(error) }),
    );
  }

  /** The history, newest first. */
  history(): HistoryView[] {
    return this.entries.map((entry) => entry.view).reverse();
  }

  /**
   * The events a new stream starts with: the recent errors, then the changes after `lastEventId`
   * (oldest first). When the history cannot fill the gap (too old, or from another process), a
   * `reset` event tells the client to reload everything.
   */
  replay(lastEventId: number | undefined): string {
    const errors = this.errors.join('');
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

  private onChange(
    version: number,
    change: { readonly changed: readonly string[]; readonly source: string },
  ): void {
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
    this.hub.broadcast(stored.event);
  }

  private onError(error: ConfigError): void {
    const event = sseEvent('error', errorView(error, this.redaction, ++this.errorSeq));
    this.errors.push(event);
    if (this.errors.length > RECENT_ERRORS) this.errors.shift();
    this.hub.broadcast(event);
  }

  private store(entry: InspectedHistoryEntry): StoredEntry {
    const view = historyView(entry, this.redaction);
    const stored = { view, event: sseEvent('change', view, view.version) };
    this.entries.push(stored);
    if (this.entries.length > this.capacity) this.entries.shift();
    return stored;
  }
}
