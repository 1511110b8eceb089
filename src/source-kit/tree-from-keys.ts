/** One-shot form of {@link KeyTree}: the keys below a prefix as a tree. */
import type { ConfigData } from '../reader/contract.js';
import type { OriginMap } from '../reader/provenance.js';
import type { KeyChange } from './key-change.js';
import { KeyTree } from './key-tree.js';

/**
 * Builds the tree of the keys below `prefix` once (`config/app/server/port` → `server.port`, JSON
 * values parsed). Throws a `CONFLICT` naming both keys when a key is both a value and a branch. For a
 * source that keeps the tree current, use {@link KeyTree} (patches and deltas).
 *
 * @example
 * treeFromKeys([{ key: 'app/port', value: '80', origin: { myKey: 'app/port' } }], 'app/', { source: 'my:app/' });
 */
export function treeFromKeys(
  entries: Iterable<KeyChange>,
  prefix: string,
  options: { source: string; separator?: string; describe?: (key: string) => string },
): { data: ConfigData; origins: OriginMap; checksum: string } {
  const tree = new KeyTree({
    source: options.source,
    prefix,
    ...(options.separator ? { separator: options.separator } : {}),
    describe: options.describe ?? ((key) => `key ${key}`),
  });
  return tree.reset(entries);
}
