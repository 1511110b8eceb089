import { type Origin, type OriginMap, pathKey } from '../provenance.js';
import type { TextPositions } from './text-position.js';

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
    this.offsets ??= this.collect();
    for (let end = path.length; end >= 0; end--) {
      const offset = this.offsets.get(pathKey(path.slice(0, end)));
      if (offset !== undefined) return { ...this.base, ...this.positions.at(offset) };
    }
    return undefined;
  }
}
