import { type Origin, type OriginMap, pathKey } from '../provenance.js';
import type { TextPositions } from './text-position.js';

/** How many {@link withoutOriginScans} calls are running (re-entrant). */
let scansDeferred = 0;

/**
 * Runs `work` with every lazy {@link OffsetOrigins} answering only from what it already computed: a
 * document nobody asked about gives its base origin (the file, without line and column) instead of
 * being scanned. For bookkeeping on the reload path (the history), which must not pay for provenance
 * nobody asked for.
 */
export function withoutOriginScans<T>(work: () => T): T {
  scansDeferred++;
  try {
    return work();
  } finally {
    scansDeferred--;
  }
}

/**
 * Origins from the character offsets of a document's keys, found lazily: `collect` runs on the first
 * lookup (explain, an error), never on the load path. A path without its own offset gets its nearest
 * ancestor's.
 */
export class OffsetOrigins implements OriginMap {
  private offsets: Map<string, number> | undefined;

  constructor(
    private readonly collect: () => Map<string, number>,
    private readonly positions: TextPositions,
    private readonly base: Origin,
  ) {}

  lookup(path: readonly string[]): Origin | undefined {
    if (this.offsets === undefined && scansDeferred > 0)
      return path.length > 0 ? { ...this.base } : undefined;
    this.offsets ??= this.collect();
    for (let end = path.length; end >= 0; end--) {
      const offset = this.offsets.get(pathKey(path.slice(0, end)));
      if (offset !== undefined) return { ...this.base, ...this.positions.at(offset) };
    }
    return undefined;
  }
}
