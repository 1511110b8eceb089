/**
 * The redacted `/api/config` body, serialised once per config version: every request for the same
 * version sends the same string. With `?origins=1` the body also lists each leaf's origin (for the page).
 */
import { formatPath } from '../index.js';
import type { Redaction } from './redaction.js';
import type { InspectedConfig } from './types.js';

/** One cached body. */
interface Cached {
  version: number;
  /** The JSON, UTF-8 encoded once. */
  body: Buffer;
}

/** A leaf of the tree and where it came from: `[path, source, origin description]`. */
type LeafOrigin = [path: string, source: string | null, origin: string];

function isBranch(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Caches the redacted config JSON per version. */
export class SnapshotCache {
  private plain: Cached | undefined;
  private withOrigins: Cached | undefined;

  constructor(
    private readonly config: InspectedConfig,
    private readonly redaction: Redaction,
  ) {}

  /** `{ version, value }` (and `origins` when asked), redacted, for the current version. */
  body(origins: boolean): Cached {
    const version = this.config.version;
    const cached = origins ? this.withOrigins : this.plain;
    if (cached?.version === version) return cached;
    const value = this.config.value;
    const body: Record<string, unknown> = { version, value: this.redaction.value(value) };
    if (origins) body.origins = this.leafOrigins(value);
    const fresh = { version, body: Buffer.from(JSON.stringify(body)) };
    if (origins) this.withOrigins = fresh;
    else this.plain = fresh;
    return fresh;
  }

  /** Every leaf's origin (arrays and empty objects are leaves), from `explain()`. */
  private leafOrigins(root: unknown): LeafOrigin[] {
    const leaves: LeafOrigin[] = [];
    const texts = new Map<string, string>();
    const masked = (text: string): string => {
      let result = texts.get(text);
      if (result === undefined) {
        result = this.redaction.text(text);
        texts.set(text, result);
      }
      return result;
    };
    const walk = (value: unknown, keys: string[]): void => {
      if (isBranch(value) && Object.keys(value).length > 0) {
        for (const [key, child] of Object.entries(value)) walk(child, [...keys, key]);
        return;
      }
      const { source, description } = this.config.explain(keys);
      const maskedSource = source === undefined ? undefined : masked(source);
      // The source's own description of the origin, masked like free text (few distinct texts).
      leaves.push([formatPath(keys), maskedSource ?? null, masked(description ?? source ?? 'unknown')]);
    };
    if (isBranch(root)) for (const [key, child] of Object.entries(root)) walk(child, [key]);
    return leaves;
  }
}
