import { checksumData } from '../../reader/checksum.js';
import type { ChangeSetDelta, ConfigData } from '../../reader/contract.js';
import { ConfigError } from '../../reader/errors.js';
import { formatPath, type PathInput, toPath } from '../../reader/path.js';
import { toPlainValue } from '../../reader/plain.js';
import { uniformOrigins } from '../../reader/provenance.js';
import { withPath } from '../../reader/tree.js';
import { LazySubject, observable } from '../../rx/lazy.js';
import { describeMemoryOrigin } from '../../source-kit/origins.js';
import type { ChangeSet, Source } from '../../source-kit/source.js';

/** Options of {@link memory}. */
export interface MemoryOptions {
  /** Source name (default `memory`); shown by `explain()` and in `changes$`. */
  name?: string;
}

/** A source whose data lives in memory; replace it with `update()`, or change one path with `set()`/`delete()`. */
export interface MemorySource extends Source {
  /** Replaces the whole data; watchers reload (a no-op when the content is equal). */
  update(data: ConfigData): void;
  /** Sets the value at `path` (dotted or a key array); the loader applies it along that path only. */
  set(path: PathInput, value: unknown): void;
  /** Deletes the value at `path`; the loader applies it along that path only. */
  delete(path: PathInput): void;
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
  const changes = new LazySubject<ChangeSet>();
  let current = snapshot(initial);

  let generation = 0;

  /**
   * A ChangeSet of `data`. A whole replacement is copied and checksummed by content (an equal
   * `update()` is no change); a patch from `set()`/`delete()` is neither: its data is a path copy
   * already, and its checksum is a generation number (a patch that changes nothing is found so by
   * the loader's diff along its path, at the cost of that path, not of a checksum of the whole tree).
   */
  function snapshot(data: ConfigData, delta?: ChangeSetDelta): ChangeSet {
    const changeSet: ChangeSet = {
      data: delta ? data : structuredClone(data),
      origins,
      checksum: delta ? `${name}#${++generation}` : checksumData(data),
      source: name,
      timestamp: new Date(),
    };
    if (delta) changeSet.delta = delta;
    return changeSet;
  }

  /** Publishes the data with `path` changed (path copy: earlier data is never modified). */
  function patch(keys: string[], value: unknown): void {
    const data = withPath(current.data, keys, value) as ConfigData;
    const delta: ChangeSetDelta =
      value === undefined ? { set: [], deleted: [keys] } : { set: [[keys, value]], deleted: [] };
    current = snapshot(data, delta);
    changes.next(current);
  }

  return {
    name,
    describeOrigin: (origin) => describeMemoryOrigin(origin, name),
    async read() {
      return current;
    },
    watch() {
      // The current data first, so that an update between the loader's read and this subscription is not lost.
      return observable<ChangeSet>((subscriber) => {
        subscriber.next(current);
        return changes.subscribe(subscriber);
      });
    },
    update(data) {
      current = snapshot(data);
      changes.next(current);
    },
    set(path, value) {
      const keys = toPath(path);
      if (keys.length === 0) throw new ConfigError('INVALID_ARGUMENT', `${name}: set() needs a path`);
      patch(keys, toPlainValue(value, formatPath(keys)));
    },
    delete(path) {
      const keys = toPath(path);
      if (keys.length === 0) throw new ConfigError('INVALID_ARGUMENT', `${name}: delete() needs a path`);
      patch(keys, undefined);
    },
    async close() {
      changes.complete();
    },
  };
}
