/**
 * One subscription to the etcd source's `watch()`: an etcd v3 watch stream applied to a local view
 * of the keys, with a fresh read whenever the stream may have missed something (reconnect,
 * compaction, server-side cancel). Exactly one reconnect loop, with the kit's capped, jittered
 * backoff: on a disconnect the watcher is detached from etcd3 (whose own retry would run twice per
 * failure), and a fresh read opens a new one once etcd answers. Its timer never keeps the process alive.
 */
import type { IEvent, WatchBuilder, Watcher } from 'etcd3';
import type { ChangeSet } from '../../reader/contract.js';
import { type ConfigError, toConfigError } from '../../reader/errors.js';
import { Observable, type Subscriber } from '../../rx/index.js';
import { Backoff, type BackoffOptions } from '../../source-kit/backoff.js';
import { unrefWatchSession } from './unref.js';
import type { EtcdView, RangeRead } from './view.js';

/** The last read handed to the loader, and the checksum of its content. */
export interface Baseline {
  read: RangeRead;
  checksum: string;
  /** The read's own view: the first session takes it over (no rebuild; its tree is shared). */
  view?: EtcdView;
}

/** What a watch session needs from its source. */
export interface WatchHost {
  /** The source's name, for errors. */
  readonly name: string;
  /** A watch builder on the watched range (prefix or key). */
  watchBuilder(): Promise<WatchBuilder>;
  /** Reads the watched keys now, in the background; rejects with a ConfigError. */
  read(): Promise<RangeRead>;
  /** A new, empty view. */
  createView(): EtcdView;
  /** The last read handed to the loader, if any. */
  baseline(): Baseline | undefined;
  /** Reports a non-fatal error to the source's `onError` listeners. */
  report(error: ConfigError): void;
  /** Converts an etcd3 failure to a ConfigError. */
  toError(error: unknown, action: string): ConfigError;
  /** Reconnect delays. */
  readonly backoff: BackoffOptions;
}

/** How long `stop()` waits for etcd to confirm a watch cancel. */
const CANCEL_TIMEOUT_MS = 3000;

/** Where the source keeps its live subscriptions, so that `close()` can end them and wait. */
export interface WatchRegistry {
  /** Registers a way to end a live subscription; returns its unregistration. */
  add(end: () => void): () => void;
  /** Receives the cancel of an ending subscription, in flight. */
  track(stopping: Promise<void>): void;
}

/**
 * The cold observable behind `EtcdSource.watch()`. Starts from the source's baseline (the last
 * read), at the revision right after it, so nothing written between the read and the watch is lost.
 * Without a baseline it reads first and emits that state.
 */
export function watchKeys(host: WatchHost, registry: WatchRegistry): Observable<ChangeSet> {
  return new Observable<ChangeSet>((subscriber) => {
    const session = new WatchSession(host, subscriber);
    const unregister = registry.add(() => subscriber.complete());
    session.start();
    return () => {
      unregister();
      registry.track(session.stop());
    };
  });
}

class WatchSession {
  private view: EtcdView;
  private watcher: Watcher | undefined;
  /** Events buffered while a fresh read is in flight (undefined when none is). */
  private pending: IEvent[][] | undefined;
  private resyncQueued = false;
  /** Set from a disconnect until a fresh read succeeds: errors of one outage are reported once. */
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
    const base = this.host.baseline();
    if (base === undefined) {
      void this.resync();
      return;
    }
    if (base.view !== undefined) {
      // Taken over once: later sessions rebuild their own from the read.
      this.view = base.view;
      base.view = undefined;
    } else {
      try {
        const loaded = this.view.load(base.read);
        if (loaded instanceof Promise) loaded.catch(() => undefined);
      } catch {
        // The read that made the baseline succeeded with the same keys; nothing to report.
      }
    }
    this.view.assume(base.checksum);
    void this.open(base.read.revision + 1n);
  }

  /** Cancels the watch stream; resolves once etcd confirmed it (or after a timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const watcher = this.watcher;
    this.watcher = undefined;
    if (watcher === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    // Not unref'd: the watch's session is (see etcd-unref.ts), so this timer is what keeps an
    // `await close()` alive until etcd confirms the cancel (or the timeout passes).
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CANCEL_TIMEOUT_MS);
    });
    await Promise.race([watcher.cancel().catch(() => undefined), timeout]);
    clearTimeout(timer);
  }

  private async open(fromRevision: bigint): Promise<void> {
    let builder: WatchBuilder;
    try {
      builder = await this.host.watchBuilder();
    } catch (error) {
      this.subscriber.error(toConfigError(error, 'SOURCE_READ', this.host.name));
      return;
    }
    if (this.stopped) return;
    const watcher = builder.startRevision(fromRevision.toString()).watcher();
    this.watcher = watcher;
    watcher.on('data', (response) => {
      if (watcher === this.watcher) this.onEvents(response.events);
    });
    watcher.on('disconnected', (error) => {
      if (watcher === this.watcher) this.onBroken(watcher, error);
    });
    watcher.on('connected', () => {
      // A watch must not keep the process alive (grpc-js refs the session of every open stream).
      unrefWatchSession(watcher);
      if (watcher === this.watcher) {
        this.outage = false;
        this.lastReported = undefined;
        this.backoff.reset();
      }
    });
    // etcd cancelled the watch (its start revision was compacted, or the server dropped it).
    watcher.on('error', () => {
      if (watcher !== this.watcher || this.stopped) return;
      this.watcher = undefined;
      void this.resync();
    });
  }

  /**
   * The stream broke (etcd down, network): detach the watcher so that etcd3 does not reconnect it
   * (etcd3 would, twice per failure), report once per outage, and resync after the backoff.
   */
  private onBroken(watcher: Watcher, error: unknown): void {
    this.watcher = undefined;
    watcher.removeAllListeners();
    watcher.cancel().catch(() => undefined);
    if (this.stopped) return;
    if (!this.outage) {
      this.outage = true;
      this.reportOnce(this.host.toError(error, 'watch keys (reconnecting)'));
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.resync(), this.backoff.next());
    this.retryTimer.unref();
  }

  private onEvents(events: IEvent[]): void {
    if (this.stopped || events.length === 0) return;
    if (this.pending !== undefined) {
      this.pending.push(events);
      return;
    }
    this.deliver(() => this.view.apply(events));
  }

  /**
   * Reads the keys afresh and rebases the local copy on that read, replaying the events that
   * arrived meanwhile. Opens the watch stream (from the read's revision) when there is none.
   */
  private async resync(): Promise<void> {
    if (this.stopped) return;
    if (this.pending !== undefined) {
      this.resyncQueued = true;
      return;
    }
    clearTimeout(this.retryTimer);
    this.pending = [];
    let fresh: RangeRead;
    try {
      fresh = await this.host.read();
    } catch (error) {
      this.afterFailedResync(error);
      return;
    }
    const buffered = this.pending;
    this.pending = undefined;
    if (this.stopped) return;
    this.outage = false;
    this.lastReported = undefined;
    this.deliver(() => this.view.load(fresh));
    for (const events of buffered) this.deliver(() => this.view.apply(events));
    if (this.watcher === undefined) await this.open(fresh.revision + 1n);
    if (this.resyncQueued) {
      this.resyncQueued = false;
      void this.resync();
    }
  }

  private afterFailedResync(error: unknown): void {
    const buffered = this.pending ?? [];
    this.pending = undefined;
    if (this.stopped) return;
    const failure = this.host.toError(error, 'read keys');
    if (failure.code === 'PERMISSION') {
      this.subscriber.error(failure);
      return;
    }
    this.reportOnce(failure);
    // The stream's own events are still valid on top of the local copy.
    for (const events of buffered) this.deliver(() => this.view.apply(events));
    this.resyncQueued = false;
    this.outage = true;
    this.schedule();
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
