import { checksumData } from '../reader/checksum.js';
import { uniformOrigins } from '../reader/provenance.js';
import { Observable, Subject } from '../rx.js';
import type { ChangeSet, ConfigData, Source } from './source.js';

/** Options of {@link memory}. */
export interface MemoryOptions {
  /** Source name (default `memory`); shown by `explain()` and in `changes$`. */
  name?: string;
}

/** A source whose data lives in memory; replace it with `update()`. */
export interface MemorySource extends Source {
  /** Replaces the whole data; watchers reload (a no-op when the content is equal). */
  update(data: ConfigData): void;
}

/**
 * An in-memory source, for tests and programmatic layers. The object is copied, never frozen.
 *
 * @example
 * const overrides = memory({ feature: { beta: true } });
 * const config = await loadConfig({ sources: [file('app.yaml'), overrides] });
 * overrides.update({ feature: { beta: false } });
 */
export function memory(initial: ConfigData = {}, options: MemoryOptions = {}): MemorySource {
  const name = options.name ?? 'memory';
  const origins = uniformOrigins({ memory: true });
  const changes = new Subject<ChangeSet>();
  let current = snapshot(initial);

  function snapshot(data: ConfigData): ChangeSet {
    return {
      data: structuredClone(data),
      origins,
      checksum: checksumData(data),
      source: name,
      timestamp: new Date(),
    };
  }

  return {
    name,
    async read() {
      return current;
    },
    watch() {
      // The current data first, so that an update between the loader's read and this subscription is not lost.
      return new Observable<ChangeSet>((subscriber) => {
        subscriber.next(current);
        return changes.subscribe(subscriber);
      });
    },
    update(data) {
      current = snapshot(data);
      changes.next(current);
    },
    async close() {
      changes.complete();
    },
  };
}
