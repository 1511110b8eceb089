import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { checksumText } from '../../reader/checksum.js';
import type { Observable } from '../../rx/index.js';
import { observable } from '../../rx/lazy.js';
import type { WatchObserver } from '../../source-kit/direct-watch.js';
import type { ChangeSet } from '../../source-kit/source.js';
import { type FileReadSpec, missingFileError, readFileText, toChangeSet } from './read.js';

/** How the file source watches its file. */
export interface FileWatchOptions {
  /** Delays (ms) between re-reads of a file that fails to parse right after a change. */
  retryDelays: readonly number[];
  /** The stability window (see `FileOptions.stableMs`); 0 reads at once. */
  stableMs: number;
  /** Reports a recovered error (the source's error listeners). */
  report(error: unknown): void;
}

/**
 * Watches a file's directory with chokidar (never keeping the process alive) and re-reads on every
 * event there, comparing content checksums, so editors' atomic saves, delete-and-recreate, files that
 * appear later and Kubernetes `..data` symlink swaps all arrive. A change that fails to parse is
 * re-read a few times before it is reported, and never published; with `stableMs`, a change is read
 * only once the file's stat has settled.
 */
export function watchFile(spec: FileReadSpec, options: FileWatchOptions): Observable<ChangeSet> {
  return observable<ChangeSet>((subscriber) => watchFileDirect(spec, options, subscriber));
}

/**
 * {@link watchFile} without an Observable (the loader's subscription, see `DIRECT_WATCH`); returns the
 * teardown.
 *
 * Why not the kit's WatchLoop/PollLoop (source-kit/poll-loop.ts), which the http and Vault sources
 * share: nothing here polls. Reads are pushed by chokidar's events, coalesced to one per turn of the
 * loop; the retries are a short fixed list for a half-written file (not a backoff for a server that is
 * down), cut short by the next event; and `stableMs` waits on the file's stat. The kit's loop (a
 * request, then a delay, then the next request) has none of these steps.
 *
 * (About 150 lines: one closure over the read state that the event, retry and settle timers share;
 * split into functions, each would take and return that state.)
 */
export function watchFileDirect(
  spec: FileReadSpec,
  options: FileWatchOptions,
  subscriber: WatchObserver,
): () => void {
  {
    // The loader dedupes by checksum too; this only spares it repeated identical reads.
    let lastChecksum: string | undefined;
    let lastBlank = false;
    let failedChecksum: string | undefined;
    let reading = false;
    let again = false;
    let retryTimer: NodeJS.Timeout | undefined;
    let closed = false;

    const { report, retryDelays, stableMs } = options;
    const { path } = spec;
    let stableTimer: NodeJS.Timeout | undefined;
    let settling: string | undefined;

    const attempt = async (retry: number): Promise<void> => {
      const before = stableMs > 0 ? statKey(path) : undefined;
      const text = await readFileText(spec);
      if (closed) return;
      // With a stability window, a file that changed while it was read is waited for again.
      if (before !== undefined && statKey(path) !== before) {
        settle();
        return;
      }
      if (text === undefined && !spec.optional) {
        if (lastChecksum !== 'missing-required') report(missingFileError(spec));
        lastChecksum = 'missing-required';
        failedChecksum = undefined;
        return;
      }
      // Compare before parsing: most events (other files in the directory, repeated events of one
      // write) leave the content as it was, and content that already failed was reported once.
      const checksum = text === undefined ? 'missing' : checksumText(text);
      if (checksum === lastChecksum) {
        failedChecksum = undefined;
        return;
      }
      if (checksum === failedChecksum) return;
      const retryLater = (): boolean => {
        const delay = retryDelays[retry];
        if (delay === undefined) return false;
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void run(retry + 1), delay);
        retryTimer.unref();
        return true;
      };
      // An empty read right after a change is usually a writer between truncate and write.
      const blank = text !== undefined && text.trim() === '';
      if (blank && !lastBlank && retryLater()) return;
      let changeSet: ChangeSet;
      try {
        changeSet = await toChangeSet(spec, text, checksum);
      } catch (error) {
        if (closed) return;
        if (retryLater()) return;
        failedChecksum = checksum;
        report(error);
        return;
      }
      if (closed) return;
      lastChecksum = checksum;
      lastBlank = blank;
      failedChecksum = undefined;
      subscriber.next(changeSet);
    };

    const run = async (retry = 0): Promise<void> => {
      if (closed) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        await attempt(retry);
      } catch (error) {
        report(error);
      } finally {
        reading = false;
      }
      if (again && !closed) {
        again = false;
        clearTimeout(retryTimer);
        void run();
      }
    };

    /** Reads once the file's stat stayed the same for `stableMs` (each call restarts the wait). */
    const settle = (): void => {
      settling = statKey(path);
      clearTimeout(stableTimer);
      stableTimer = setTimeout(check, stableMs);
      stableTimer.unref();
    };
    const check = (): void => {
      if (closed) return;
      const now = statKey(path);
      if (now !== settling) {
        settle();
        return;
      }
      void run();
    };

    // The events of one write (fs.watch reports a truncate and a write, often in one poll of the
    // loop) are coalesced into one read on the loop's next turn.
    let scheduled: NodeJS.Immediate | undefined;
    const onEvent = (): void => {
      clearTimeout(retryTimer);
      if (stableMs > 0) {
        settle();
        return;
      }
      scheduled ??= setImmediate(() => {
        scheduled = undefined;
        void run();
      });
    };

    // chokidar is loaded when the first watch starts, not when livecfg is imported (cold start).
    let watcher: FSWatcher | undefined;
    import('chokidar').then(
      ({ watch: watchPath }) => {
        if (closed) return;
        watcher = watchPath(dirname(resolve(path)), {
          persistent: false,
          ignoreInitial: true,
          depth: 0,
          followSymlinks: false,
          atomic: false,
        });
        // The `raw` (fs.watch) events only: chokidar's own events are derived from them, one more per
        // write (another read), and it drops a file's `change` events for 50 ms after each one it
        // emits, with no trailing event, so a quick second write would be lost; raw events are not
        // throttled. They also carry renames: atomic saves, delete-and-recreate, `..data` swaps.
        watcher.on('raw', onEvent);
        watcher.on('error', report);
        // Events before chokidar is ready are lost: re-read once then, so that a change made between
        // the loader's first read and this moment is still delivered (the loader dedupes by checksum).
        watcher.on('ready', onEvent);
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(stableTimer);
      if (scheduled) clearImmediate(scheduled);
      if (watcher) {
        releaseThrottleTimers(watcher);
        void watcher.close();
      }
    };
  }
}

/** What `stableMs` compares: size, modification time and inode (a symlink swap changes the inode). */
function statKey(path: string): string {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats ? `${stats.size}:${stats.mtimeMs}:${stats.ino}` : 'missing';
  } catch (error) {
    return `error:${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
}

/**
 * chokidar throttles events with ref'd timers (up to 1 s for directory re-reads) and `close()` forgets
 * them without clearing them, so a closed watcher could keep the process alive for another second.
 * Clears them first (chokidar 5 internals; does nothing when they are not there).
 */
function releaseThrottleTimers(watcher: object): void {
  const throttled = (watcher as { _throttled?: unknown })._throttled;
  if (!(throttled instanceof Map)) return;
  for (const byPath of throttled.values()) {
    if (!(byPath instanceof Map)) continue;
    for (const item of [...byPath.values()]) (item as { clear?: () => unknown }).clear?.();
  }
}
