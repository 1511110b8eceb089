import { readFile, readFileSync, statSync } from 'node:fs';
import { checksumText } from '../reader/checksum.js';
import { ConfigError } from '../reader/errors.js';
import { type Environ, parseWithParser } from '../reader/formats/index.js';
import type { ChangeSet, Parser } from './source.js';

/** What the file source needs to read and parse its file once. */
export interface FileReadSpec {
  path: string;
  name: string;
  /** The document's parser (a built-in format's or a user's); `attach()` may replace it. */
  parser: Parser;
  optional: boolean;
  interpolate: boolean;
  environ?: Environ;
}

/** Regular files up to this size are read synchronously (see {@link readFileText}). */
const SYNC_READ_LIMIT = 1 << 20;

/**
 * The text of a file, or `undefined` when it does not exist. Maps I/O errors to ConfigErrors.
 *
 * A regular file of up to 1 MiB (nearly every config file) is read synchronously: that costs a few
 * hundred microseconds less than the four thread-pool round trips of an async read, and cannot
 * hang. Anything else (a FIFO, a device, a huge file) is read asynchronously, so the `signal` and
 * the loader's timeout can abort it.
 */
export async function readFileText(spec: FileReadSpec, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const stats = statSync(spec.path, { throwIfNoEntry: false });
    if (stats === undefined) return undefined;
    if (stats.isFile() && stats.size <= SYNC_READ_LIMIT) return readFileSync(spec.path, 'utf8');
    // The callback API is measurably faster than fs/promises for whole-file reads on Node 20.
    return await new Promise<string>((resolve, reject) => {
      readFile(spec.path, { encoding: 'utf8', signal }, (error, text) =>
        error ? reject(error) : resolve(text),
      );
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw ioError(spec, error, code);
  }
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
): Promise<ChangeSet> {
  const timestamp = new Date();
  if (text === undefined) return { data: {}, checksum: 'missing', source: spec.name, timestamp };
  const { data, origins } = await parseWithParser(
    text,
    spec.parser,
    { source: spec.name, file: spec.path, originBase: { file: spec.path } },
    { interpolate: spec.interpolate, environ: spec.environ },
  );
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
