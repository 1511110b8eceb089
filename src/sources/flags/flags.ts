import { checksumData } from '../../reader/checksum.js';
import { describeFlagOrigin } from '../../source-kit/origins.js';
import type { ChangeSet, Source } from '../../source-kit/source.js';
import { TreeBuilder } from '../../source-kit/tree-builder.js';

/** Options of {@link flags}. */
export interface FlagsOptions {
  /** Only flags starting with `--<prefix>` count, with the prefix stripped (e.g. `config.`). */
  prefix?: string;
}

/** One parsed flag: where it points and its raw value. */
export interface ParsedFlag {
  flag: string;
  path: string[];
  value: string | boolean;
}

/** `max-connections` → `maxConnections`. */
function camelCase(key: string): string {
  return key.replace(/-+([a-zA-Z0-9])/g, (_match, char: string) => char.toUpperCase());
}

/**
 * Parses `--server.port=9090`, `--server.port 9090`, `--debug` (true), `--no-debug` (false); stops at
 * `--`. A flag takes the next argument as its value unless that argument is itself a `--flag`; write
 * booleans as `--debug=true` where a positional argument follows. Short `-x` flags and positionals are ignored.
 */
export function parseFlags(argv: readonly string[], prefix = ''): ParsedFlag[] {
  const parsed: ParsedFlag[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--') break;
    if (!arg.startsWith('--') || arg.length === 2) continue;
    const body = arg.slice(2);
    const equals = body.indexOf('=');
    let name = equals === -1 ? body : body.slice(0, equals);
    const written = name;
    let value: string | boolean;
    if (equals !== -1) {
      value = body.slice(equals + 1);
    } else if (name.startsWith('no-') && name.length > 3) {
      name = name.slice(3);
      value = false;
    } else {
      const next = argv[index + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        index++;
      } else {
        value = true;
      }
    }
    if (!name.startsWith(prefix)) continue;
    const path = name
      .slice(prefix.length)
      .split('.')
      .filter((key) => key !== '')
      .map(camelCase);
    if (path.length === 0) continue;
    parsed.push({ flag: `--${written}`, path, value });
  }
  return parsed;
}

/**
 * Command-line flags as a config layer: `--server.port=9090` sets `server.port`, kebab-case keys
 * become camelCase at every level (`--limits.max-connections`), a repeated flag becomes an array.
 * Unknown flags are kept, not rejected. Values stay strings (bare flags are booleans); the schema coerces.
 *
 * @example
 * flags(process.argv.slice(2))
 */
export function flags(argv: readonly string[] = process.argv.slice(2), options: FlagsOptions = {}): Source {
  const name = options.prefix ? `flags:${options.prefix}` : 'flags';
  return {
    name,
    describeOrigin: describeFlagOrigin,
    async read(): Promise<ChangeSet> {
      // A repeated flag becomes an array; a flag that is both a value and a branch is a CONFLICT
      // naming both flags; a __proto__ segment is kept so that the merge reports it as UNSAFE_KEY.
      const tree = new TreeBuilder(name, 'array');
      for (const { flag, path, value } of parseFlags(argv, options.prefix ?? '')) {
        tree.set(path, value, flag, { flag });
      }
      const { data, origins } = tree.build();
      return { data, origins, checksum: checksumData(data), source: name, timestamp: new Date() };
    },
  };
}
