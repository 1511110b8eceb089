import { Observable, ReplaySubject, Subject, throwError } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChangeSet, type Config, type ConfigError, loadConfig, type Source } from '../../src/index.js';
import { next, watchFor } from '../helpers/watch.js';

/**
 * A custom Source whose watch() breaks the first `failures` times (asynchronously, or synchronously
 * on subscribe), then works: it emits a ChangeSet for each later `set()`.
 */
class FlakySource implements Source {
  readonly name = 'flaky';
  readonly subscribedAt: number[] = [];
  /** Emits the number of subscriptions so far, on each subscription. */
  readonly subscriptions$ = new ReplaySubject<number>();
  private data: Record<string, unknown>;
  private readonly changes = new Subject<ChangeSet>();
  private version = 0;

  constructor(
    initial: Record<string, unknown>,
    private readonly failures: number,
    private readonly mode: 'async' | 'sync' = 'async',
  ) {
    this.data = initial;
  }

  get attempts(): number {
    return this.subscribedAt.length;
  }

  async read(): Promise<ChangeSet> {
    return this.changeSet();
  }

  watch(): Observable<ChangeSet> {
    return new Observable<ChangeSet>((subscriber) => {
      this.subscribedAt.push(performance.now());
      this.subscriptions$.next(this.subscribedAt.length);
      if (this.subscribedAt.length <= this.failures) {
        const error = new Error(`watch broke (${this.subscribedAt.length})`);
        if (this.mode === 'sync') return throwError(() => error).subscribe(subscriber);
        const timer = setTimeout(() => subscriber.error(error), 1);
        return () => clearTimeout(timer);
      }
      return this.changes.subscribe(subscriber);
    });
  }

  /** Changes the data; only a working watch hears about it. */
  set(data: Record<string, unknown>): void {
    this.data = data;
    this.changes.next(this.changeSet());
  }

  private changeSet(): ChangeSet {
    return {
      data: structuredClone(this.data),
      checksum: `${this.name}-${++this.version}-${JSON.stringify(this.data)}`,
      source: this.name,
      timestamp: new Date(),
    };
  }
}

const configs: Config[] = [];
afterEach(async () => {
  await Promise.all(configs.splice(0).map((config) => config.close()));
});

async function load(source: Source, backoff: { initialMs: number; maxMs: number }): Promise<Config> {
  const config = await loadConfig({ sources: [source], watchBackoff: backoff });
  configs.push(config);
  return config;
}

describe('a source whose watch() errors', () => {
  it.each(['async', 'sync'] as const)(
    'is reported on errors$ and resubscribed with backoff (%s error)',
    async (mode) => {
      const source = new FlakySource({ a: 1 }, 3, mode);
      const errors: ConfigError[] = [];
      // Subscribe to errors$ right after loadConfig resolves, before the first failure is reported.
      const config = await loadConfig({
        sources: [source],
        watchBackoff: { initialMs: 4, maxMs: 16 },
      }).then((loaded) => {
        configs.push(loaded);
        loaded.errors$.subscribe((error) => errors.push(error));
        return loaded;
      });
      // The watch works from the fourth subscription on.
      await next(source.subscriptions$, (count) => count === 4);
      source.set({ a: 2 });
      await watchFor(config, 'a', 2);
      expect(source.attempts).toBe(4);
      // Watches start on the next turn after loadConfig resolves: errors$ already has its subscriber.
      expect(errors).toHaveLength(3);
      for (const error of errors) {
        expect(error.code).toBe('SOURCE_READ');
        expect(error.source).toBe('flaky');
        expect(error.message).toMatch(/flaky: watch broke/);
      }
      // Backoff: each gap is at least half of min(maxMs, initialMs * 2^k) (full jitter, upper half).
      const gaps = source.subscribedAt
        .slice(1)
        .map((at, index) => at - (source.subscribedAt[index] as number));
      gaps.forEach((gap, k) => {
        expect(gap).toBeGreaterThanOrEqual(Math.min(16, 4 * 2 ** k) / 2 - 1);
      });
    },
  );

  it('picks up data that changed while the watch was broken', async () => {
    const source = new FlakySource({ a: 1 }, 1);
    const config = await load(source, { initialMs: 20, maxMs: 20 });
    await next(config.errors$);
    source.set({ a: 2 }); // nobody listens: the watch is broken and not yet resubscribed
    await watchFor(config, 'a', 2);
    expect(source.attempts).toBe(2);
  });

  it('close() cancels a pending resubscription', async () => {
    const source = new FlakySource({ a: 1 }, 1);
    const config = await load(source, { initialMs: 10, maxMs: 10 });
    await next(config.errors$);
    await config.close();
    // Barrier: another source with a longer backoff (≥ 10 ms) is resubscribed after this point.
    const barrier = new FlakySource({ b: 1 }, 1);
    const other = await load(barrier, { initialMs: 20, maxMs: 20 });
    await next(barrier.subscriptions$, (count) => count === 2);
    await other.close();
    expect(source.attempts).toBe(1);
  });

  it('a watch that completes is not resubscribed', async () => {
    let subscriptions = 0;
    const source: Source = {
      name: 'done',
      read: async () => ({ data: { a: 1 }, checksum: '1', source: 'done', timestamp: new Date() }),
      watch: () =>
        new Observable<ChangeSet>((subscriber) => {
          subscriptions++;
          subscriber.next({ data: { a: 2 }, checksum: '2', source: 'done', timestamp: new Date() });
          subscriber.complete();
        }),
    };
    const config = await load(source, { initialMs: 1, maxMs: 1 });
    await watchFor(config, 'a', 2);
    const barrier = new FlakySource({}, 2);
    await load(barrier, { initialMs: 5, maxMs: 5 });
    await next(barrier.subscriptions$, (count) => count === 3);
    expect(subscriptions).toBe(1);
  });
});
