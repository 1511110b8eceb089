/**
 * Where a value came from. Lines and columns are 1-based.
 * `vars` lists the environment variables interpolated into a string value (`${NAME}`).
 */
export type Origin =
  | { file: string; line?: number; column?: number; vars?: string[] }
  | { env: string }
  | { flag: string }
  | { consulKey: string; modifyIndex: number; line?: number; column?: number; vars?: string[] }
  | { etcdKey: string; modRevision: string; line?: number; column?: number; vars?: string[] }
  | { default: true }
  | { set: true }
  | { memory: true }
  | Record<string, unknown>;

/** Looks up the origin of the value at a path inside one source's data. May compute lazily. */
export interface OriginMap {
  lookup(path: readonly string[]): Origin | undefined;
}

/** A key that joins path segments unambiguously (segments may contain dots or be empty). */
export function pathKey(path: readonly string[]): string {
  for (const key of path) {
    // Keys that contain the joining character itself get an unambiguous (slower) form.
    if (key.includes('\u0000')) return `j${JSON.stringify(path)}`;
  }
  return `${path.length}:${path.join('\u0000')}`;
}

/** An OriginMap backed by a Map keyed with {@link pathKey}; falls back to the nearest ancestor's origin. */
export class StaticOriginMap implements OriginMap {
  private readonly entries = new Map<string, Origin>();

  /** Records the origin of the value at `path`. */
  set(path: readonly string[], origin: Origin): void {
    this.entries.set(pathKey(path), origin);
  }

  lookup(path: readonly string[]): Origin | undefined {
    for (let end = path.length; end >= 0; end--) {
      const found = this.entries.get(pathKey(path.slice(0, end)));
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

/** An OriginMap that gives every path the same origin (memory layers, defaults, set()). */
export function uniformOrigins(origin: Origin): OriginMap {
  return { lookup: () => origin };
}
