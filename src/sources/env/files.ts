/**
 * `env({ files })`: `.env` files read as environment variables, under the real environment. The files
 * are read and watched by the file source's own machinery (`sources/file`: size limit, directory watch
 * with chokidar, atomic saves, files that appear later, re-reads of a half-written file), and each
 * file's text by the one `.env` reader (`reader/formats/dotenv.ts`).
 */
import { dotenvVariables } from '../../reader/formats/dotenv.js';
import { type Origin, StaticOriginMap } from '../../reader/provenance.js';
import type { ChangeSet, Parser } from '../../source-kit/source.js';
import { assignKey } from '../../source-kit/tree-builder.js';
import { DEFAULT_RETRY_DELAYS_MS } from '../file/file.js';
import {
  DEFAULT_MAX_BYTES,
  type FileReadSpec,
  missingFileError,
  readFileText,
  toChangeSet,
} from '../file/read.js';
import { watchFileDirect } from '../file/watch.js';

/** One `.env` file of `env({ files })`, when it needs more than its path. */
export interface EnvFile {
  /** The file's path (relative to the working directory), as `explain()` names it. */
  path: string;
  /** A missing file contributes nothing (default `true`); `false` makes it a `NOT_FOUND` error. */
  optional?: boolean;
}

/** A variable read from a file: its value and its origin (`{ file, line, column, env }`). */
export interface FileVariable {
  value: string;
  origin: Origin;
}

/** Each file's text as a flat map of variables, with each variable's line (the file adds `{ file }`). */
const VARIABLES: Parser = {
  name: 'env-variables',
  parse(text, context) {
    const data: Record<string, unknown> = {};
    const origins = new StaticOriginMap();
    for (const variable of dotenvVariables(text, context.name)) {
      assignKey(data, variable.name, variable.value);
      origins.set([variable.name], { line: variable.line, column: 1, env: variable.name });
    }
    return { data, origins };
  },
};

/** The `.env` files of one env source, in priority order (later wins), with each file's last good read. */
export class DotenvFiles {
  private readonly specs: FileReadSpec[];
  private readonly latest: (ChangeSet | undefined)[];

  constructor(files: readonly (string | EnvFile)[], source: string) {
    this.specs = files.map((item) => {
      const { path, optional = true } = typeof item === 'string' ? { path: item } : item;
      return {
        path,
        name: source,
        parser: VARIABLES,
        optional,
        // Values are taken as written, as the environment's are: no `${NAME}` interpolation.
        interpolate: false,
        maxBytes: DEFAULT_MAX_BYTES,
        workerThresholdBytes: Number.POSITIVE_INFINITY,
      };
    });
    this.latest = this.specs.map(() => undefined);
  }

  /** Reads every file: a required one that is missing is `NOT_FOUND`, a broken one `PARSE` (file:line). */
  async read(signal?: AbortSignal): Promise<void> {
    const reads = await Promise.all(
      this.specs.map(async (spec) => {
        const text = await readFileText(spec, signal);
        if (text === undefined && !spec.optional) throw missingFileError(spec);
        return toChangeSet(spec, text, undefined, signal);
      }),
    );
    reads.forEach((changeSet, index) => {
      this.latest[index] = changeSet;
    });
  }

  /** The variables of the last good read of each file; a later file wins over an earlier one. */
  variables(): Map<string, FileVariable> {
    const variables = new Map<string, FileVariable>();
    this.latest.forEach((changeSet, index) => {
      if (!changeSet) return;
      const file = (this.specs[index] as FileReadSpec).path;
      for (const [name, value] of Object.entries(changeSet.data)) {
        const origin = changeSet.origins?.lookup([name]) ?? { file, env: name };
        variables.set(name, { value: String(value), origin });
      }
    });
    return variables;
  }

  /**
   * Watches every file with the file source's watch; `changed()` after each new good read of one.
   * A read that fails (after the file source's retries) goes to `report` and keeps the last good
   * read; a broken watch goes to `fail`. Returns the teardown.
   */
  watch(changed: () => void, report: (error: unknown) => void, fail: (error: unknown) => void): () => void {
    const options = { retryDelays: DEFAULT_RETRY_DELAYS_MS, stableMs: 0, report };
    const teardowns = this.specs.map((spec, index) =>
      watchFileDirect(spec, options, {
        next: (changeSet) => {
          this.latest[index] = changeSet;
          changed();
        },
        error: fail,
      }),
    );
    return () => {
      for (const teardown of teardowns) teardown();
    };
  }
}
