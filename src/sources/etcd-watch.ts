/**
 * One subscription to the etcd source's `watch()`: an etcd v3 watch stream applied to a local copy
 * of the keys, with a fresh read whenever the stream may have missed something (reconnect,
 * compaction, server-side cancel).
 */
import type { IEvent, WatchBuilder, Watcher } from 'etcd3';
import { type ConfigError, toConfigError } from '../reader/errors.js';
import { Observable, type Subscriber } from '../rx.js';
import { Backoff } from '../source-kit/backoff.js';
import { applyEvents, cloneSnapshot, type KeySnapshot, snapshotChecksum } from './etcd-state.js';
import { unrefWatchSession } from './etcd-unref.js';
import type { ChangeSet } from './source.js';

/** A snapshot with the checksum of its content. */
export interface Baseline {
  snapshot: KeySnapshot;
  checksum: string;
}

/** What a watch session needs from its source. */
export interface WatchHost {
  /** The source's name, for errors. */
  readonly name: string;
  /** A watch builder on the watched range (prefix or key). */
  watchBuilder(): WatchBuilder;
  /** Reads the watched keys now; rejects with a ConfigError. */
  readSnapshot(): Promise<KeySnapshot>;
  /** Builds the ChangeSet of a snapshot; throws `NOT_FOUND`/`PARSE` ConfigErrors. */
  toChangeSet(snapshot: KeySnapshot, checksum: string): ChangeSet;
  /** The latest state handed to the loader (by a read or an emission), if any. */
  baseline(): Baseline | undefined;
  /** Records a state handed to the loader. */
  accept(baseline: Baseline): void;
  /** Reports a non-fatal error to the source's `onError` listeners. */
  report(error: ConfigError): void;
  /** Converts an etcd3 failure to a ConfigError. */
  toError(error: unknown, action: string): ConfigError;
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
  private snapshot: KeySnapshot = { revision: 0n, keys: new Map() };
  /** Revision of the read the snapshot rests on: events at or below it are already in it. */
  private after = 0n;
  private checksum: string | undefined;
  private failedChecksum: string | undefined;
  private watcher: Watcher | undefined;
  /** Events buffered while a fresh read is in flight (undefined when none is). */
  private pending: IEvent[][] | undefined;
  private resyncQueued = false;
  private outage = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly backoff = new Backoff({ initialMs: 100, maxMs: 5000 });

  constructor(
    private readonly host: WatchHost,
    private readonly subscriber: Subscriber<ChangeSet>,
  ) {}

  start(): void {
    const base = this.host.baseline();
    if (base === undefined) {
      void this.resync();
      return;
    }
    this.snapshot = cloneSnapshot(base.snapshot);
    this.after = base.snapshot.revision;
    this.checksum = base.checksum;
    this.open(this.after + 1n);
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

  private open(fromRevision: bigint): void {
    const watcher = this.host.watchBuilder().startRevision(fromRevision.toString()).watcher();
    this.watcher = watcher;
    watcher.on('data', (response) => {
      if (watcher === this.watcher) this.onEvents(response.events);
    });
    watcher.on('disconnected', (error) => {
      if (watcher === this.watcher) this.onDisconnected(error);
    });
    watcher.on('connected', () => {
      // A watch must not keep the process alive (grpc-js refs the session of every open stream).
      unrefWatchSession(watcher);
      if (watcher === this.watcher) this.onConnected();
    });
    // etcd cancelled the watch (its start revision was compacted, or the server dropped it).
    watcher.on('error', () => {
      if (watcher !== this.watcher || this.stopped) return;
      this.watcher = undefined;
      void this.resync();
    });
  }

  private onEvents(events: IEvent[]): void {
    if (this.stopped || events.length === 0) return;
    if (this.pending !== undefined) {
      this.pending.push(events);
      return;
    }
    if (applyEvents(this.snapshot, events, this.after)) this.publish();
  }

  private onDisconnected(error: unknown): void {
    if (this.stopped || this.outage) return;
    this.outage = true;
    this.host.report(this.host.toError(error, 'watch keys (reconnecting)'));
  }

  /** After an outage the stream resumes by itself; a fresh read guarantees nothing was skipped. */
  private onConnected(): void {
    if (this.stopped || !this.outage) return;
    this.outage = false;
    void this.resync();
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
    let fresh: KeySnapshot;
    try {
      fresh = await this.host.readSnapshot();
    } catch (error) {
      this.afterFailedResync(error);
      return;
    }
    const buffered = this.pending;
    this.pending = undefined;
    if (this.stopped) return;
    this.backoff.reset();
    this.snapshot = fresh;
    this.after = fresh.revision;
    for (const events of buffered) applyEvents(this.snapshot, events, this.after);
    if (this.watcher === undefined) this.open(fresh.revision + 1n);
    this.publish();
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
    this.host.report(failure);
    // The stream's own events are still valid on top of the local copy.
    let changed = false;
    for (const events of buffered) changed = applyEvents(this.snapshot, events, this.after) || changed;
    if (changed) this.publish();
    this.resyncQueued = false;
    this.retryTimer = setTimeout(() => void this.resync(), this.backoff.next());
    this.retryTimer.unref();
  }

  /** Emits the local copy when its content changed (checksum dedupe). */
  private publish(): void {
    const checksum = snapshotChecksum(this.snapshot);
    if (checksum === this.checksum || checksum === this.failedChecksum) return;
    let changeSet: ChangeSet;
    try {
      changeSet = this.host.toChangeSet(this.snapshot, checksum);
    } catch (error) {
      this.failedChecksum = checksum;
      this.host.report(toConfigError(error, 'PARSE', this.host.name));
      return;
    }
    this.failedChecksum = undefined;
    this.checksum = checksum;
    this.host.accept({ snapshot: cloneSnapshot(this.snapshot), checksum });
    this.subscriber.next(changeSet);
  }
}
