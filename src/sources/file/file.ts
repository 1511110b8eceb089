import { ConfigError, toConfigError } from '../../reader/errors.js';
import {
  BUILTIN_PARSERS,
  checkFormat,
  type Environ,
  type Format,
  parserForPath,
} from '../../reader/formats/index.js';
import type { Observable } from '../../rx/index.js';
import { DIRECT_WATCH, type WatchObserver } from '../../source-kit/direct-watch.js';
import { ErrorListeners } from '../../source-kit/error-listeners.js';
import { describeFileOrigin } from '../../source-kit/origins.js';
import type { ChangeSet, Parser, Source, SourceContext } from '../../source-kit/source.js';
import { MODULE_PARSER } from './module.js';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_WORKER_THRESHOLD_BYTES,
  type FileReadSpec,
  missingFileError,
  readFileText,
  toChangeSet,
} from './read.js';
import { watchFile, watchFileDirect } from './watch.js';
import { ParseWorker } from './worker.js';

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
   * `Infinity` parses everything on the main thread. Other parsers, and JSON (whose `JSON.parse`
   * costs no more than bringing a parsed tree back from a worker), always run on the main thread.
   */
  workerThresholdBytes?: number;
  /**
   * Waits for the file to settle after a change event before reading it (default 0: read at once).
   * The guarantee: the file is read only once its size, modification time and inode, checked with
   * `stat`, stayed the same for `stableMs` ms (every event restarts the wait), and a read during which
   * they changed is discarded and waited for again. So a writer that pauses for less than `stableMs`
   * between its writes never has a partial file published, even one that parses. A writer that
   * pauses longer can be, and a writer that rewrites the same size within the filesystem's mtime
   * resolution is not seen as writing. Costs `stableMs` of latency per change; the first read (at
   * `loadConfig`) does not wait.
   */
  stableMs?: number;
}

/** Delays (ms) between re-reads of a file that fails to parse right after a change. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [5, 15, 30];

/**
 * A config file: JSON, YAML, TOML or `.env` by extension, or any format through a `parser` (or the
 * parsers of `loadConfig({ parsers })`, mapped by extension). A `.js`, `.cjs`, `.mjs` or `.ts` file
 * (through tsx) is imported as a config module, afresh on each change. Watches the file's directory with
 * chokidar (never keeping the process alive) and re-reads on every event there, comparing content
 * checksums, so editors' atomic saves, delete-and-recreate, files that appear later and Kubernetes
 * `..data` symlink swaps all arrive. A change that fails to parse is re-read a few times before it is
 * reported, and never published (see `stableMs` for writers whose partial text parses). Files over
 * `maxBytes` are refused; big documents are parsed in a worker thread.
 *
 * @example
 * file('config/default.yaml'), file('config/local.yaml', { optional: true })
 * file('config/app.json5', { parser: json5() }), file('config/app.yaml', { stableMs: 200 })
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
    parser: named ?? parserOf(path),
    optional: options.optional ?? false,
    interpolate: options.interpolate ?? true,
    environ: options.environ ?? (() => process.env),
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
  const stableMs = checkStableMs(options.stableMs, name);
  const errorListeners = new ErrorListeners();

  async function read(signal?: AbortSignal): Promise<ChangeSet> {
    const text = await readFileText(spec, signal);
    if (text === undefined && !spec.optional) throw missingFileError(spec);
    return await toChangeSet(spec, text, undefined, signal);
  }

  /** Called by the loader before the first read: maps the file's extension through its parsers. */
  function attach(context: SourceContext): void {
    if (named === undefined) spec.parser = parserOf(path, context.parsers);
  }

  const watchOptions = {
    retryDelays: options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    stableMs,
    report: (error: unknown) => errorListeners.report(toConfigError(error, 'SOURCE_READ', name)),
  };

  function watch(): Observable<ChangeSet> {
    return watchFile(spec, watchOptions);
  }

  const source: Source = {
    name,
    read,
    watch,
    attach,
    describeOrigin: describeFileOrigin,
    onError(listener) {
      errorListeners.add(listener);
    },
    async close() {
      await parseWorker?.close();
      parseWorker = undefined;
    },
  };
  // The loader's own subscription, without an Observable (no rxjs loaded): see DIRECT_WATCH.
  Object.defineProperty(source, DIRECT_WATCH, {
    value: (observer: WatchObserver) => watchFileDirect(spec, watchOptions, observer),
  });
  return source;
}

/**
 * The parser of a file by its name: the config's parsers first, then config modules (`.js`, `.cjs`,
 * `.mjs`, `.ts`: imported, see MODULE_PARSER), then the built-in formats (unknown extensions: JSON).
 */
function parserOf(path: string, parsers: readonly Parser[] = []): Parser {
  return parserForPath(path, [...parsers, MODULE_PARSER]);
}

/** Checks the `stableMs` option: a non-negative finite number of milliseconds (0 = off). */
function checkStableMs(value: number | undefined, source: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' && value >= 0 && Number.isFinite(value)) return value;
  throw new ConfigError(
    'INVALID_ARGUMENT',
    `${source}: stableMs must be a number of milliseconds ≥ 0, got ${String(value)}`,
    {
      source,
    },
  );
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
