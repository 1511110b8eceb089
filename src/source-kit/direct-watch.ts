/**
 * An internal protocol between the built-in sources and the loader: a source may offer its watch as a
 * plain callback subscription besides its `watch()` Observable, so that the loader's own subscription
 * loads no rxjs (cold start: a service that never touches an Observable never loads it). Not exported
 * from the package: user sources implement `watch()`.
 */
import type { ChangeSet } from './source.js';

/** What a direct watch delivers to: the part of an rxjs Subscriber the built-in sources use. */
export interface WatchObserver {
  next(changeSet: ChangeSet): void;
  error(error: unknown): void;
}

/** The symbol under which a source offers its direct watch. */
export const DIRECT_WATCH: unique symbol = Symbol('livecfg.directWatch');

/** A source with a direct watch: subscribes `observer`; returns the teardown. */
export interface DirectWatchable {
  [DIRECT_WATCH](observer: WatchObserver): () => void;
}
