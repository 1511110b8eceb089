/**
 * The redacted `/api/config` body, serialised once per config version: every request for the same
 * version sends the same bytes (and the same compressed bytes per encoding). With `?origins=1` the
 * body also lists each leaf's origin (for the page), built incrementally: from one version to the next
 * only the leaves that history says changed, and leaves not seen before, are explained again.
 */
import { formatPath } from '../index.js';
import type { Redaction } from './redaction.js';
import type { InspectedConfig } from './types.js';

/** One cached body. */
export interface CachedBody {
  version: number;
  /** The JSON, UTF-8 encoded once. */
  body: Buffer;
  /** Compressed copies, made on first request per encoding (`br`, `gzip`). */
  encoded: Map<string, Buffer>;
}

/** A leaf of the tree and where it came from: `[path, source, origin description]`. */
type LeafOrigin = [path: string, source: string | null, origin: string];

function isBranch(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Caches the redacted config JSON per version. */
export class SnapshotCache {
  private plain: CachedBody | undefined;
  private withOrigins: CachedBody | undefined;
  /** Every leaf's origin at `version`, by dotted path (tree order). */
  private origins: { version: number; leaves: Map<string, LeafOrigin> } | undefined;
  /** Masked texts of origin fields (few distinct: the file, the variable…). */
  private readonly texts = new Map<string, string>();
  /** How many leaves the last origins build explained (for tests: incremental means few). */
  explainedLastBuild = 0;

  constructor(
    private readonly config: InspectedConfig,
    private readonly redaction: Redaction,
  ) {}

  /** `{ version, value }` (and `origins` when asked), redacted, for the current version. */
  body(origins: boolean): CachedBody {
    const version = this.config.version;
    const cached = origins ? this.withOrigins : this.plain;
    if (cached?.version === version) return cached;
    const value = this.config.value;
    const body: Record<string, unknown> = { version, value: this.redaction.value(value) };
    if (origins) body.origins = [...this.leafOrigins(version, value).values()];
    const fresh = { version, body: Buffer.from(JSON.stringify(body)), encoded: new Map<string, Buffer>() };
    if (origins) this.withOrigins = fresh;
    else this.plain = fresh;
    return fresh;
  }

  /** The paths changed since `from` up to `to`, or `undefined` when history cannot tell them all. */
  private changedSince(from: number, to: number): Set<string> | undefined {
    const entries = this.config.history().filter((entry) => entry.version > from && entry.version <= to);
    if (entries.length !== to - from || entries.some((entry) => entry.more)) return undefined;
    const paths = new Set<string>();
    for (const entry of entries) for (const change of entry.changes) paths.add(change.path);
    return paths;
  }

  /**
   * Every leaf's origin (arrays and empty objects are leaves). A leaf whose path is known from the
   * previous build and did not change keeps its origin; the others are explained.
   */
  private leafOrigins(version: number, root: unknown): Map<string, LeafOrigin> {
    const previous = this.origins;
    const changed =
      previous && previous.version < version ? this.changedSince(previous.version, version) : undefined;
    const reuse = changed ? previous?.leaves : undefined;
    const leaves = new Map<string, LeafOrigin>();
    // Masked texts depend on the current secret values: reuse them within one build only.
    this.texts.clear();
    let explained = 0;
    const walk = (value: unknown, keys: string[]): void => {
      if (isBranch(value) && Object.keys(value).length > 0) {
        for (const key of Object.keys(value)) walk(value[key], [...keys, key]);
        return;
      }
      const path = formatPath(keys);
      const known = reuse?.get(path);
      if (known && !changed?.has(path)) {
        leaves.set(path, known);
        return;
      }
      explained++;
      leaves.set(path, this.describe(keys, path));
    };
    if (isBranch(root)) for (const key of Object.keys(root)) walk(root[key], [key]);
    this.origins = { version, leaves };
    this.explainedLastBuild = explained;
    return leaves;
  }

  private describe(keys: string[], path: string): LeafOrigin {
    const { source, description } = this.config.explain(keys);
    const maskedSource = source === undefined ? undefined : this.masked(source);
    // The source's own description of the origin, masked like free text (few distinct texts).
    return [path, maskedSource ?? null, this.masked(description ?? source ?? 'unknown')];
  }

  private masked(text: string): string {
    let result = this.texts.get(text);
    if (result === undefined) {
      result = this.redaction.text(text);
      this.texts.set(text, result);
    }
    return result;
  }
}
