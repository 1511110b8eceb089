/**
 * rxjs on demand: the library's import path (`loadConfig` + `get`) loads no rxjs at all; the first
 * Observable livecfg hands out (`changes$`, `watch()`, a source's watch) loads the few rxjs module
 * files it needs, synchronously, with `require`.
 *
 * Why `require`: under Node, `import { Observable } from 'rxjs'` in a user's code resolves to rxjs's
 * CommonJS build (its `exports` map sends the `node` condition there), so requiring the same files
 * gives the very classes the user has (`instanceof`, operators, `firstValueFrom` all work), and
 * requiring them costs a fraction of importing CommonJS files from ESM (no export-name analysis).
 * `test/rx.test.ts` holds the identity; `test/coldstart.test.ts` holds that nothing loads rxjs early.
 */
import { createRequire } from 'node:module';
import type { Observable, Subject, Subscriber, Subscription, TeardownLogic } from 'rxjs';

interface Rx {
  Observable: typeof Observable;
  Subject: typeof Subject;
}

let loaded: Rx | undefined;

/** The rxjs classes, loaded on the first call. */
export function rx(): Rx {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    loaded = {
      Observable: (require('rxjs/internal/Observable') as { Observable: typeof Observable }).Observable,
      Subject: (require('rxjs/internal/Subject') as { Subject: typeof Subject }).Subject,
    };
  }
  return loaded;
}

/** `new Observable(subscribe)`, with rxjs loaded on the first call. */
export function observable<T>(subscribe: (subscriber: Subscriber<T>) => TeardownLogic): Observable<T> {
  return new (rx().Observable)<T>(subscribe);
}

/**
 * The part of a `Subject` livecfg uses, without loading rxjs until something subscribes: until then,
 * `next` has nobody to deliver to (as a Subject without observers) and `complete`/`error` are
 * remembered, so that a late subscriber sees the subject ended, as with a Subject.
 */
export class LazySubject<T> {
  private subject: Subject<T> | undefined;
  private ending: { error: unknown } | 'complete' | undefined;

  /** Whether anything is subscribed. */
  get observed(): boolean {
    return this.subject?.observed ?? false;
  }

  /** Delivers `value` to the current subscribers. */
  next(value: T): void {
    this.subject?.next(value);
  }

  /** Ends with an error (once). */
  error(error: unknown): void {
    if (this.ending !== undefined) return;
    this.ending = { error };
    this.subject?.error(error);
  }

  /** Completes (once). */
  complete(): void {
    if (this.ending !== undefined) return;
    this.ending = 'complete';
    this.subject?.complete();
  }

  /** The subject as an Observable (loads rxjs). */
  asObservable(): Observable<T> {
    return this.real().asObservable();
  }

  /** Subscribes to the subject (loads rxjs). */
  subscribe(observer: Partial<import('rxjs').Observer<T>> | ((value: T) => void)): Subscription {
    return this.real().subscribe(observer);
  }

  private real(): Subject<T> {
    if (this.subject === undefined) {
      const subject = new (rx().Subject)<T>();
      if (this.ending === 'complete') subject.complete();
      else if (this.ending !== undefined) subject.error(this.ending.error);
      this.subject = subject;
    }
    return this.subject;
  }
}
