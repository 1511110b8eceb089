import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, type Observable, type Subscription, take, timeout, toArray } from 'rxjs';
import type { ConfigChange, ConfigError, WatchOptions } from '../../src/index.js';

/** How long a test waits for an event before failing. */
export const WAIT_MS = 5_000;

/** The part of a Config these helpers use, satisfied by a Config of any schema. */
export interface Live {
  watch(path?: readonly (string | number)[], options?: WatchOptions): Observable<unknown>;
  readonly changes$: Observable<ConfigChange<unknown>>;
  readonly errors$: Observable<ConfigError>;
  close(): Promise<void>;
}

/** `watch()` by dotted path ('' for the whole tree). */
export function watchPath(config: Live, path: string, options?: WatchOptions): Observable<unknown> {
  return config.watch(path === '' ? undefined : path.split('.'), options);
}

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(prefix = 'livecfg-watch-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The first value of `source$` that satisfies `predicate`, failing after `ms`. */
export function next<T>(source$: Observable<T>, predicate: (value: T) => boolean = () => true, ms = WAIT_MS) {
  return firstValueFrom(source$.pipe(filter(predicate), timeout(ms)));
}

/** The next `count` values of `source$`. */
export function nextN<T>(source$: Observable<T>, count: number, ms = WAIT_MS): Promise<T[]> {
  return firstValueFrom(source$.pipe(take(count), toArray(), timeout(ms)));
}

/** The value emitted by `watch(path)` that equals `expected` (skipping intermediate values). */
export function watchFor(config: Live, path: string, expected: unknown, ms = WAIT_MS): Promise<unknown> {
  return next(watchPath(config, path), (value) => JSON.stringify(value) === JSON.stringify(expected), ms);
}

/** The next error on `errors$` that satisfies `predicate`. */
export function nextError(
  config: Live,
  predicate: (error: ConfigError) => boolean = () => true,
  ms = WAIT_MS,
): Promise<ConfigError> {
  return next(config.errors$, predicate, ms);
}

/** Records every emission of an observable until `stop()`. */
export class Recorder<T> {
  readonly values: T[] = [];
  readonly errors: unknown[] = [];
  completed = false;
  private readonly subscription: Subscription;

  constructor(source$: Observable<T>) {
    this.subscription = source$.subscribe({
      next: (value) => this.values.push(value),
      error: (error: unknown) => this.errors.push(error),
      complete: () => {
        this.completed = true;
      },
    });
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

/** Records the emissions of `watch(path, { emitCurrent: false })` for each path. */
export function recordPaths(config: Live, paths: readonly string[]): Map<string, Recorder<unknown>> {
  return new Map(paths.map((path) => [path, new Recorder(watchPath(config, path, { emitCurrent: false }))]));
}

/** The change set published on changes$ whose `current` satisfies `predicate`. */
export function nextChange(
  config: Live,
  predicate: (change: ConfigChange<unknown>) => boolean = () => true,
  ms = WAIT_MS,
): Promise<ConfigChange<unknown>> {
  return next(config.changes$, predicate, ms);
}
