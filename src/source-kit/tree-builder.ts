/**
 * The one way flat inputs (env variables, flags, dotenv lines, KV keys) become a tree: a key that is
 * both a value and a branch is a `CONFLICT` naming both inputs, whatever their order; a `__proto__`
 * segment is kept as an own data key so that the merge drops it and reports it once as `UNSAFE_KEY`
 * (exactly as for a file), never silently.
 */
import type { ConfigData } from '../reader/contract.js';
import { ConfigError } from '../reader/errors.js';
import { formatPath } from '../reader/path.js';
import { type Origin, pathKey, StaticOriginMap } from '../reader/provenance.js';
import { isPlainObject, UNSAFE_KEYS } from '../reader/tree.js';

/** Sets `node[key]`; a `__proto__` key becomes an own data property, never the prototype. */
export function assignKey(node: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    node[key] = value;
  }
}

/** `node[key]` when it is an own key (so `__proto__` never reads the prototype). */
export function ownValue(node: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

/** Formats a path for messages, in the one path grammar: `server.port`, `labels."a.b"`. */
function dotted(path: readonly string[]): string {
  return formatPath(path);
}

/** The CONFLICT error: `first` sets a value at `at`, `second` sets `below` under it (or the reverse). */
export function conflictError(
  source: string,
  value: { input: string; path: readonly string[] },
  branch: { input: string; path: readonly string[] },
): ConfigError {
  return new ConfigError(
    'CONFLICT',
    `${source}: ${value.input} sets "${dotted(value.path)}" to a value, but ${branch.input} sets ` +
      `"${dotted(branch.path)}" below it; remove or rename one of them`,
    { source, path: dotted(branch.path) },
  );
}

/** What to do when two inputs set the same leaf: keep the later, or collect an array (repeated flags). */
export type RepeatPolicy = 'replace' | 'array';

/**
 * Builds one tree from flat inputs, in any order, with the same answer for every order.
 *
 * @example
 * const tree = new TreeBuilder('env:APP_');
 * tree.set(['server', 'port'], '8080', 'APP_SERVER__PORT', { env: 'APP_SERVER__PORT' });
 * tree.set(['server'], 'x', 'APP_SERVER', { env: 'APP_SERVER' }); // throws CONFLICT naming both
 * const { data, origins } = tree.build();
 */
export class TreeBuilder {
  private readonly data: ConfigData = {};
  private readonly origins = new StaticOriginMap();
  /** Leaf path → the input that set it. */
  private readonly leaves = new Map<string, string>();
  /** Branch path → one input below it (for messages). */
  private readonly branches = new Map<string, { input: string; path: readonly string[] }>();
  /** Locations of `__proto__` keys already kept (each is reported once). */
  private readonly unsafe = new Set<string>();

  constructor(
    private readonly source: string,
    private readonly repeat: RepeatPolicy = 'replace',
  ) {}

  /** Sets `value` at `path`, set by `input` (named in errors: "APP_PORT", "--port", "key app/port"). */
  set(path: readonly string[], value: unknown, input: string, origin: Origin): void {
    if (path.length === 0) return;
    const unsafe = path.findIndex((segment) => UNSAFE_KEYS.has(segment));
    if (unsafe !== -1) {
      this.markUnsafe(path.slice(0, unsafe + 1), input);
      return;
    }
    for (let end = 1; end < path.length; end++) {
      const ancestor = path.slice(0, end);
      const owner = this.leaves.get(pathKey(ancestor));
      if (owner !== undefined) {
        throw conflictError(this.source, { input: owner, path: ancestor }, { input, path });
      }
    }
    const key = pathKey(path);
    const below = this.branches.get(key);
    if (below !== undefined) throw conflictError(this.source, { input, path }, below);
    let node = this.data;
    for (let index = 0; index < path.length - 1; index++) {
      const segment = path[index] as string;
      this.branches.set(pathKey(path.slice(0, index + 1)), { input, path });
      let next = ownValue(node, segment);
      if (!isPlainObject(next)) {
        next = {};
        assignKey(node, segment, next);
      }
      node = next as Record<string, unknown>;
    }
    const leaf = path[path.length - 1] as string;
    const previous = ownValue(node, leaf);
    const repeated = this.leaves.has(key) && this.repeat === 'array';
    assignKey(node, leaf, repeated ? [...(Array.isArray(previous) ? previous : [previous]), value] : value);
    this.leaves.set(key, input);
    this.origins.set(path, origin);
  }

  /**
   * Keeps one own `__proto__` key at `location` (whatever was below it), so that the merge leaves it
   * out and reports it once as `UNSAFE_KEY`, as it does for files. Its value is never used.
   */
  private markUnsafe(location: readonly string[], input: string): void {
    const key = pathKey(location);
    if (this.unsafe.has(key)) return;
    this.unsafe.add(key);
    const parent = location.slice(0, -1);
    for (let end = 1; end <= parent.length; end++) {
      const ancestor = parent.slice(0, end);
      const owner = this.leaves.get(pathKey(ancestor));
      if (owner !== undefined) {
        throw conflictError(this.source, { input: owner, path: ancestor }, { input, path: location });
      }
    }
    let node = this.data;
    for (let index = 0; index < parent.length; index++) {
      const segment = parent[index] as string;
      this.branches.set(pathKey(parent.slice(0, index + 1)), { input, path: location });
      let next = ownValue(node, segment);
      if (!isPlainObject(next)) {
        next = {};
        assignKey(node, segment, next);
      }
      node = next as Record<string, unknown>;
    }
    assignKey(node, '__proto__', {});
  }

  /** The tree and the origin of each leaf. */
  build(): { data: ConfigData; origins: StaticOriginMap } {
    return { data: this.data, origins: this.origins };
  }
}
