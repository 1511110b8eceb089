/**
 * One subscription to the etcd source's `watch()`: a JSON-gateway watch stream applied to a local view
 * of the keys. Exactly one reconnect loop, with the kit's capped, jittered backoff: a broken stream
 * (etcd down, a partition the liveness probe noticed) is reopened from the last revision seen, so
 * nothing is missed and nothing is re-read; only a compaction of that revision (or a store that went
 * backwards) costs a fresh read. Its timers and sockets never keep the process alive.
 */
import type { ChangeSet } from '../../reader/contract.js';
import { type ConfigError, toConfigError } from '../../reader/errors.js';
import { Observable, type Subscriber } from '../../rx/index.js';
import { Backoff, type BackoffOptions } from '../../source-kit/backoff.js';
import type { EtcdGateway, EtcdWatch, WatchEnd, WatchEvent } from './gateway.js';
import type { EtcdView, PageReader } from './view.js';

/** The last read handed to the loader: its view (taken over by the first session) and checksum. */
export interface Baseline {
  view: EtcdView | undefined;
  checksum: string;
}

/** What a watch session needs from its source. */
export interface WatchHost {
  /** The source's name, for errors. */
  readonly name: string;
  /** The gateway client (created on first use). */
  gateway(): Promise<EtcdGateway>;
  /** The watched range. */
  readonly range: { key: string; prefix: boolean };
  /** Reads the watched keys in the background, page by page. */
  readonly pages: PageReader;
  /** A new, empty view. */
  createView(): EtcdView;
  /** Takes the last read's view, once (later sessions read afresh). */
  takeBaseline(): Baseline | undefined;
  /** Reports a non-fatal error to the source's `onError` listeners. */
  report(error: ConfigError): void;
  /** Converts a gateway failure to a ConfigError. */
  toError(error: unknown, action: string): ConfigError;
  /** Reconnect delays. */
  readonly backoff: BackoffOptions;
}

/** Where the source keeps its live subscriptions, so that `close()` can end them. */
export type WatchRegistry = (end: () => void) => () => void;

/**
 * The cold observable behind `EtcdSource.watch()`. Starts from the source's last read, at the
 * revision right after it, so nothing written between the read and the watch is lost. Without one
 * it reads first and emits that state.
 */
export function watchKeys(host: WatchHost, register: WatchRegistry): Observable<ChangeSet> {
  return new Observable<ChangeSet>((subscriber) => {
    const session = new WatchSession(host, subscriber);
    const unregister = register(() => subscriber.complete());
    session.start();
    return () => {
      unregister();
      session.stop();
    };
  });
}

class WatchSession {
  private view: EtcdView;
  private stream: EtcdWatch | undefined;
  private reading = false;
  /** Set from a failure until a stream opens or a read succeeds: one report per outage. */
  private outage = false;
  private lastReported: string | undefined;
  private stopped = false;
  /** Whether this session emitted already (its first emission carries no delta). */
  private emitted = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  /** Emissions in order, even when a custom parser is async. */
  private delivery: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: WatchHost,
    private readonly subscriber: Subscriber<ChangeSet>,
  ) {
    this.view = host.createView();
    this.backoff = new Backoff(host.backoff);
  }

  start(): void {
    const base = this.host.takeBaseline();
    if (base?.view === undefined) {
      void this.resync();
      return;
    }
    this.view = base.view;
    this.view.assume(base.checksum);
    void this.open();
  }

  /** Ends the stream and any pending retry at once (closing the stream ends the watch in etcd). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stream?.close();
    this.stream = undefined;
  }

  /** Opens a stream from the revision after the view's. */
  private async open(): Promise<void> {
    let gateway: EtcdGateway;
    try {
      gateway = await this.host.gateway();
    } catch (error) {
      this.subscriber.error(toConfigError(error, 'SOURCE_READ', this.host.name));
      return;
    }
    if (this.stopped) return;
    const from = this.view.revision + 1n;
    const stream = gateway.watch(
      { ...this.host.range, startRevision: from },
      {
        onCreated: (revision) => {
          if (stream !== this.stream) return;
          this.outage = false;
          this.lastReported = undefined;
          this.backoff.reset();
          // The store went backwards (restored from a backup, or a new cluster): read it afresh.
          if (BigInt(revision) < from - 1n) this.restart(() => this.resync());
        },
        onEvents: (events) => {
          if (stream === this.stream) this.onEvents(events);
        },
      },
    );
    this.stream = stream;
    void stream.ended.then((end) => {
      if (stream === this.stream) this.onEnded(end);
    });
  }

  private restart(next: () => void): void {
    this.stream?.close();
    this.stream = undefined;
    next();
  }

  private onEnded(end: WatchEnd): void {
    this.stream = undefined;
    if (this.stopped || end.reason === 'closed') return;
    if (end.reason === 'compacted') {
      void this.resync();
      return;
    }
    if (end.reason === 'failed' && !this.outage) {
      this.outage = true;
      this.reportOnce(this.host.toError(end.error, 'watch keys (reconnecting)'));
    }
    // Cancelled by etcd (auth: the token is renewed by the read), or broken: read again after the backoff.
    this.schedule(end.reason === 'canceled' ? () => void this.resync() : () => void this.open());
  }

  private schedule(retry: () => void): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(retry, this.backoff.next());
    this.retryTimer.unref();
  }

  private onEvents(events: WatchEvent[]): void {
    if (this.stopped || events.length === 0) return;
    this.deliver(() => this.view.apply(events));
  }

  /** Reads the keys afresh into a new view state, emits it, and opens the stream from its revision. */
  private async resync(): Promise<void> {
    if (this.stopped || this.reading) return;
    clearTimeout(this.retryTimer);
    this.reading = true;
    try {
      const loaded = await this.view.load(this.host.pages);
      if (this.stopped) return;
      this.outage = false;
      this.lastReported = undefined;
      if (loaded.problem) this.reportOnce(loaded.problem);
      else if (loaded.change) this.deliver(() => loaded.change);
    } catch (error) {
      this.afterFailedResync(error);
      return;
    } finally {
      this.reading = false;
    }
    await this.open();
  }

  private afterFailedResync(error: unknown): void {
    if (this.stopped) return;
    const failure = this.host.toError(error, 'read keys');
    if (failure.code === 'PERMISSION' || failure.code === 'CLOSED') {
      if (failure.code === 'PERMISSION') this.subscriber.error(failure);
      return;
    }
    this.reportOnce(failure);
    this.outage = true;
    this.schedule(() => void this.resync());
  }

  /** Reports an error unless it is the same as the last one reported (one report per outage or bad state). */
  private reportOnce(error: ConfigError): void {
    if (error.message === this.lastReported) return;
    this.lastReported = error.message;
    this.host.report(error);
  }

  /** Builds and emits a change in order; a bad state (conflict, parse error) is reported once. */
  private deliver(build: () => ChangeSet | undefined | Promise<ChangeSet | undefined>): void {
    const emit = (changeSet: ChangeSet | undefined) => {
      if (changeSet === undefined || this.stopped) return;
      this.lastReported = undefined;
      // The first emission of a session is whole: a session started from an older read, or after
      // another session ended, cannot know which state the loader holds. Later ones carry deltas.
      if (!this.emitted && changeSet.delta !== undefined) {
        const { delta: _dropped, ...whole } = changeSet;
        changeSet = whole;
      }
      this.emitted = true;
      this.subscriber.next(changeSet);
    };
    const fail = (error: unknown) => {
      if (!this.stopped) this.reportOnce(toConfigError(error, 'PARSE', this.host.name));
    };
    let result: ChangeSet | undefined | Promise<ChangeSet | undefined>;
    try {
      result = build();
    } catch (error) {
      this.delivery = this.delivery.then(() => fail(error));
      return;
    }
    this.delivery = this.delivery.then(() => result).then(emit, fail);
  }
}
