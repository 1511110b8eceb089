import type { Subscription } from 'rxjs';
import { Backoff } from '../reader/backoff.js';
import { type ConfigError, toConfigError } from '../reader/errors.js';
import type { ChangeSet, Source } from '../sources/source.js';

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
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly backoff: Backoff;

  constructor(
    private readonly source: Source,
    private readonly handlers: SourceWatchHandlers,
    backoff: { initialMs?: number; maxMs?: number } = {},
  ) {
    this.backoff = new Backoff({ initialMs: backoff.initialMs ?? 100, maxMs: backoff.maxMs ?? 30_000 });
  }

  /** Subscribes (again). */
  start(): void {
    if (this.stopped || !this.source.watch) return;
    this.subscription = this.source.watch().subscribe({
      next: (changeSet) => {
        this.backoff.reset();
        this.handlers.change(changeSet);
      },
      error: (error: unknown) => {
        this.subscription = undefined;
        if (this.stopped) return;
        this.handlers.error(toConfigError(error, 'SOURCE_READ', this.source.name));
        this.timer = setTimeout(() => this.start(), this.backoff.next());
        this.timer.unref();
      },
    });
  }

  /** Unsubscribes and cancels a pending resubscription. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }
}
