import { dirname, resolve } from 'node:path';
import { watch as watchPath } from 'chokidar';
import { checksumText } from '../reader/checksum.js';
import { ConfigError, toConfigError } from '../reader/errors.js';
import {
  BUILTIN_PARSERS,
  checkFormat,
  type Environ,
  type Format,
  parserForPath,
} from '../reader/formats/index.js';
import { Observable } from '../rx.js';
import { ErrorListeners } from './error-listeners.js';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_WORKER_THRESHOLD_BYTES,
  type FileReadSpec,
  missingFileError,
  readFileText,
  toChangeSet,
} from './file-read.js';
import { ParseWorker } from './file-worker.js';
import type { ChangeSet, Parser, Source, SourceContext } from './source.js';

/** Options of {@link file}. */
export interface FileOptions {
  /**
   * A built-in format: `json`, `yaml`, `toml` or `env`. Default: from the extension, through the
   * parsers given to `loadConfig({ parsers })` first (unknown extensions: JSON).
   */
  format?: Format;
  /**
   * The parser of this file (e.g. `json5()` from `livecfg/parsers`, or your own); wins over the
   * extension and over `loadConfig({ parsers })`. Give either `format` or `parser`.
   */
  parser?: Parser;
  /** A missing file is an empty layer instead of a `NOT_FOUND` error (default false). */
  optional?: boolean;
  /** Replace `${NAME}` / `${NAME:-fallback}` in string values (default true). */
  interpolate?: boolean;
  /** Environment for interpolation (default `process.env`). */
  environ?: Environ;
  /** Delays (ms) between re-reads of a file that fails to parse right after a change (default 5, 15, 30). */
  retryDelaysMs?: readonly number[];
  /**
   * The largest file read, in bytes (default 16 MiB). A bigger file is a `SOURCE_READ` error naming
   * the file and the limit (at startup the load fails; on a change the last good config stays).
   * `Infinity` turns the limit off.
   */
  maxBytes?: number;
  /**
   * Documents of the built-in formats of at least this many bytes (default 1 MiB) are parsed in a
   * worker thread, so that a big file does not stall the event loop; the result and its origins are
   * the same. The worker starts on the first such document and ends when idle (1 s) or on `close()`.
   * `Infinity` parses everything on the main thread. Other parsers always run on the main thread.
   */
  workerThresholdBytes?: number;
}

const DEFAULT_RETRY_DELAYS_MS = [5, 15, 30];

/**
 * A config file: JSON, YAML, TOML or `.env`. Watches the file's directory with chokidar (never keeping
 * the process alive) and re-reads on every event there, comparing content checksums, so editors'
 * atomic saves, delete-and-recreate, files that appear later and Kubernetes `..data` symlink swaps all
 * arrive. A change that fails to parse is re-read a few times before it is reported, and never published.
 *
 * @example
 * file('config/default.yaml'), file('config/local.yaml', { optional: true })
 */
export function file(path: string, options: FileOptions = {}): Source {
  const name = `file:${path}`;
  if (options.format !== undefined && options.parser !== undefined) {
    throw new ConfigError('INVALID_ARGUMENT', `${name}: give either { format } or { parser }, not both`, {
      source: name,
    });
  }
  const named =
    options.parser ?? (options.format ? BUILTIN_PARSERS[checkFormat(options.format, name)] : undefined);
  const spec: FileReadSpec = {
    path,
    name,
    parser: named ?? parserForPath(path),
    optional: options.optional ?? false,
    interpolate: options.interpolate ?? true,
    environ: options.environ,
    maxBytes: checkBytes(options.maxBytes, DEFAULT_MAX_BYTES, 'maxBytes', name),
    workerThresholdBytes: checkBytes(
      options.workerThresholdBytes,
      DEFAULT_WORKER_THRESHOLD_BYTES,
      'workerThresholdBytes',
      name,
    ),
    worker: () => {
      parseWorker ??= new ParseWorker();
      return parseWorker;
    },
  };
  let parseWorker: ParseWorker | undefined;
  const errorListeners = new ErrorListeners();
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;

  async function read(signal?: AbortSignal): Promise<ChangeSet> {
    const text = await readFileText(spec, signal);
    if (text === undefined && !spec.optional) throw missingFileError(spec);
    return await toChangeSet(spec, text);
  }

  /** Called by the loader before the first read: maps the file's extension through its parsers. */
  function attach(context: SourceContext): void {
    if (named === undefined) spec.parser = parserForPath(path, context.parsers);
  }

  function watch(): Observable<ChangeSet> {
    return new Observable<ChangeSet>((subscriber) => {
      // The loader dedupes by checksum too; this only spares it repeated identical reads.
      let lastChecksum: string | undefined;
      let lastBlank = false;
      let failedChecksum: string | undefined;
      let reading = false;
      let again = false;
      let retryTimer: NodeJS.Timeout | undefined;
      let closed = false;

      const report = (error: unknown): void => {
        errorListeners.report(toConfigError(error, 'SOURCE_READ', name));
      };

      const attempt = async (retry: number): Promise<void> => {
        const text = await readFileText(spec);
        if (closed) return;
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

      const onEvent = (): void => {
        clearTimeout(retryTimer);
        void run();
      };

      const watcher = watchPath(dirname(resolve(path)), {
        persistent: false,
        ignoreInitial: true,
        depth: 0,
        followSymlinks: false,
        atomic: false,
      });
      watcher.on('all', onEvent);
      // chokidar drops a file's `change` events for 50 ms after each one it emits, with no trailing
      // event, so a quick second write would be lost; `raw` (fs.watch) events are not throttled.
      watcher.on('raw', onEvent);
      watcher.on('error', report);
      // Events before chokidar is ready are lost: re-read once then, so that a change made between
      // the loader's first read and this moment is still delivered (the loader dedupes by checksum).
      watcher.on('ready', onEvent);
      return () => {
        closed = true;
        clearTimeout(retryTimer);
        releaseThrottleTimers(watcher);
        void watcher.close();
      };
    });
  }

  return {
    name,
    read,
    watch,
    attach,
    onError(listener) {
      errorListeners.add(listener);
    },
    async close() {
      await parseWorker?.close();
      parseWorker = undefined;
    },
  };
}

/** Checks a byte-count option (a positive number or `Infinity`), else its default. */
function checkBytes(value: number | undefined, fallback: number, option: string, source: string): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value > 0 && !Number.isNaN(value)) return value;
  throw new ConfigError(
    'INVALID_ARGUMENT',
    `${source}: ${option} must be a positive number of bytes, got ${String(value)}`,
    {
      source,
    },
  );
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
