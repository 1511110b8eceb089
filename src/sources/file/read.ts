import { readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { checksumText } from '../../reader/checksum.js';
import { ConfigError } from '../../reader/errors.js';
import { builtinFormat, type Environ, parseWithParser } from '../../reader/formats/index.js';
import type { ChangeSet, Parser } from '../../source-kit/source.js';
import type { ParseWorker } from './worker.js';

/** The default largest file the file source reads: 16 MiB. */
export const DEFAULT_MAX_BYTES = 16 * 2 ** 20;
/** The default size from which built-in formats are parsed in a worker thread: 1 MiB. */
export const DEFAULT_WORKER_THRESHOLD_BYTES = 2 ** 20;

/** What the file source needs to read and parse its file once. */
export interface FileReadSpec {
  path: string;
  name: string;
  /** The document's parser (a built-in format's or a user's); `attach()` may replace it. */
  parser: Parser;
  optional: boolean;
  interpolate: boolean;
  environ?: Environ;
  /** Files larger than this are refused (`SOURCE_READ`), never read whole. */
  maxBytes: number;
  /** Built-in format documents of at least this many bytes are parsed by `worker()`. */
  workerThresholdBytes: number;
  /** The source's parse worker, created on first use. */
  worker?: () => ParseWorker;
}

/** Regular files up to this size are read synchronously (see {@link readFileText}). */
const SYNC_READ_LIMIT = 1 << 20;
/** Chunk size of the bounded asynchronous read. */
const CHUNK_BYTES = 1 << 20;

/**
 * The text of a file, or `undefined` when it does not exist. Maps I/O errors to ConfigErrors; a file
 * larger than `spec.maxBytes` is a `SOURCE_READ` error naming the file and the limit (checked before
 * reading, and again while reading, so that a growing file or a FIFO cannot exceed it either).
 *
 * A regular file of up to 1 MiB (nearly every config file) is read synchronously: that costs a few
 * hundred microseconds less than the thread-pool round trips of an async read, and cannot
 * hang. Anything else (a FIFO, a device, a big file) is read asynchronously in chunks, so the
 * `signal` and the loader's timeout can abort it.
 */
export async function readFileText(spec: FileReadSpec, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const stats = statSync(spec.path, { throwIfNoEntry: false });
    if (stats === undefined) return undefined;
    if (stats.isFile() && stats.size > spec.maxBytes) throw tooLargeError(spec, stats.size);
    if (stats.isFile() && stats.size <= SYNC_READ_LIMIT) {
      const bytes = readFileSync(spec.path);
      if (bytes.length > spec.maxBytes) throw tooLargeError(spec, bytes.length);
      return bytes.toString('utf8');
    }
    return await readBounded(spec, signal);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (signal?.aborted) throw ioError(spec, error, 'ABORT_ERR');
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw ioError(spec, error, code);
  }
}

/** Reads a file in chunks, refusing it as soon as it passes `spec.maxBytes`. */
async function readBounded(spec: FileReadSpec, signal?: AbortSignal): Promise<string> {
  const handle = await open(spec.path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      signal?.throwIfAborted();
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > spec.maxBytes) throw tooLargeError(spec, total, true);
      chunks.push(bytesRead === CHUNK_BYTES ? chunk : chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Bytes for messages: "16 MiB", "1.5 KiB", "300 bytes". */
function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 20) return `${Number((bytes / 2 ** 20).toFixed(1))} MiB`;
  if (bytes >= 2 ** 10) return `${Number((bytes / 2 ** 10).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** The error for a file over `maxBytes`. */
function tooLargeError(spec: FileReadSpec, size: number, atLeast = false): ConfigError {
  return new ConfigError(
    'SOURCE_READ',
    `${spec.path}: the file is ${atLeast ? 'more than ' : ''}${formatBytes(size)} (${size} bytes), over the limit of ${formatBytes(spec.maxBytes)} (${spec.maxBytes} bytes); raise it with file(path, { maxBytes })`,
    { source: spec.name, file: spec.path },
  );
}

function ioError(spec: FileReadSpec, error: unknown, code: string | undefined): ConfigError {
  const details = { source: spec.name, file: spec.path, cause: error };
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new ConfigError(
        'PERMISSION',
        `${spec.path}: permission denied reading the file (${code})`,
        details,
      );
    case 'EISDIR':
      return new ConfigError('SOURCE_READ', `${spec.path}: is a directory, not a file`, details);
    case 'ELOOP':
      return new ConfigError(
        'SOURCE_READ',
        `${spec.path}: too many levels of symbolic links (a symlink loop)`,
        details,
      );
    case 'ABORT_ERR':
      return new ConfigError('TIMEOUT', `${spec.path}: read aborted`, details);
    default:
      return new ConfigError('SOURCE_READ', `${spec.path}: ${(error as Error).message}`, details);
  }
}

/** The error for a required file that does not exist. */
export function missingFileError(spec: FileReadSpec): ConfigError {
  return new ConfigError(
    'NOT_FOUND',
    `${spec.path}: file not found (pass { optional: true } if it may be absent)`,
    {
      source: spec.name,
      file: spec.path,
    },
  );
}

/**
 * Parses a file's text into a ChangeSet; `undefined` text is the empty layer of a missing optional
 * file. Pass the text's checksum when it is known already; otherwise it is computed on first use.
 */
export async function toChangeSet(
  spec: FileReadSpec,
  text: string | undefined,
  checksum?: string,
  signal?: AbortSignal,
): Promise<ChangeSet> {
  const timestamp = new Date();
  if (text === undefined) return { data: {}, checksum: 'missing', source: spec.name, timestamp };
  const context = { source: spec.name, file: spec.path, originBase: { file: spec.path } };
  const options = { interpolate: spec.interpolate, environ: spec.environ, signal };
  const format = builtinFormat(spec.parser);
  const big =
    text.length * 3 >= spec.workerThresholdBytes && // cheap pre-check: UTF-16 units ≥ bytes / 3
    Buffer.byteLength(text) >= spec.workerThresholdBytes;
  // JSON stays on the main thread whatever its size: `JSON.parse` costs about what deserialising the
  // tree a worker sent back would cost here, and its origins are found lazily from the text.
  const { data, origins } =
    format !== undefined && format !== 'json' && spec.worker !== undefined && big
      ? await spec.worker().parse(text, format, context, options)
      : await parseWithParser(text, spec.parser, context, options);
  const fields = { data, origins, source: spec.name, timestamp };
  return checksum === undefined ? withLazyChecksum(fields, text) : { ...fields, checksum };
}

/**
 * Adds a `checksum` computed on first use: a load that is never compared with a later read (no
 * watch event yet) never pays for hashing the whole text.
 */
function withLazyChecksum(fields: Omit<ChangeSet, 'checksum'>, text: string): ChangeSet {
  let checksum: string | undefined;
  return Object.defineProperty(fields, 'checksum', {
    enumerable: true,
    get: () => {
      checksum ??= checksumText(text);
      return checksum;
    },
  }) as ChangeSet;
}
