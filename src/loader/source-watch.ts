import { type ConfigError, toConfigError } from '../reader/errors.js';
import type { Observable } from '../rx/index.js';
import { Backoff } from '../source-kit/backoff.js';
import { DIRECT_WATCH, type DirectWatchable, type WatchObserver } from '../source-kit/direct-watch.js';
import type { ChangeSet, Source } from '../source-kit/source.js';
import { describedBy } from './read.js';

/** Callbacks of a {@link SourceWatch}. */
export interface SourceWatchHandlers {
  change(changeSet: ChangeSet): void;
  error(error: ConfigError): void;
}

/**
 * Keeps one source's `watch()` subscribed: a watch that errors is reported and resubscribed after an
 * exponential backoff with jitter; one that completes is left alone. Timers never keep the process alive.
 */
export class SourceWatch {
  private subscription: { unsubscribe(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Bumped by every subscription and every emission, so a stale resync read can be recognised. */
  private generation = 0;
  private readonly backoff: Backoff;

  constructor(
    private readonly source: Source,
    private readonly handlers: SourceWatchHandlers,
    backoff: { initialMs?: number; maxMs?: number } = {},
  ) {
    this.backoff = new Backoff(backoff);
  }

  /** Subscribes (again). */
  start(): void {
    this.subscribe(false);
  }

  /**
   * Subscribes to the source's watch. After a broken watch (`resync`), the source is also read once:
   * a watch emits only later changes, so whatever changed while it was broken would be lost. The read
   * is dropped when the new watch emits first (its data is newer).
   */
  private subscribe(resync: boolean): void {
    if (this.stopped || !this.source.watch) return;
    const generation = ++this.generation;
    const observer: WatchObserver = {
      next: (changeSet) => {
        this.generation++;
        this.backoff.reset();
        this.handlers.change(describedBy(this.source, changeSet));
      },
      error: (error: unknown) => {
        this.generation++;
        this.subscription = undefined;
        if (this.stopped) return;
        this.handlers.error(toConfigError(error, 'SOURCE_READ', this.source.name));
        this.timer = setTimeout(() => this.subscribe(true), this.backoff.next());
        this.timer.unref();
      },
    };
    this.subscription = watchOf(this.source, observer);
    if (resync && generation === this.generation) void this.resync(generation);
  }

  private async resync(generation: number): Promise<void> {
    try {
      const changeSet = await this.source.read();
      if (!this.stopped && generation === this.generation) {
        this.handlers.change(describedBy(this.source, changeSet));
      }
    } catch (error) {
      if (!this.stopped && generation === this.generation) {
        this.handlers.error(toConfigError(error, 'SOURCE_READ', this.source.name));
      }
    }
  }

  /** Unsubscribes and cancels a pending resubscription. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }
}

/**
 * Subscribes `observer` to a source's watch: through its direct watch when it offers one (no rxjs
 * loaded; see `DIRECT_WATCH`), else through `watch()`. A direct watch that errors is torn down, as an
 * Observable's subscription is.
 */
function watchOf(source: Source, observer: WatchObserver): { unsubscribe(): void } {
  const direct = (source as Partial<DirectWatchable>)[DIRECT_WATCH];
  if (typeof direct !== 'function')
    return (source.watch as () => Observable<ChangeSet>)().subscribe(observer);
  let teardown: (() => void) | undefined;
  let ended = false;
  const end = (): void => {
    ended = true;
    teardown?.();
  };
  teardown = direct.call(source, {
    next: (changeSet) => {
      if (!ended) observer.next(changeSet);
    },
    error: (error) => {
      if (ended) return;
      end();
      observer.error(error);
    },
  });
  if (ended) teardown();
  return { unsubscribe: end };
}
