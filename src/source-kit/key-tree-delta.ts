/**
 * The pure steps of a {@link KeyTree} patch that read its trees without changing them: the conflict a
 * new key would make, and the net delta of a batch.
 */
import type { ChangeSetDelta, ConfigData } from '../reader/contract.js';
import type { ConfigError } from '../reader/errors.js';
import { pathKey } from '../reader/provenance.js';
import { valueAt, vanished } from './copy-on-write.js';
import type { KeyTreeOptions } from './key-change.js';
import { Branch, type LeafMark, type LeafNaming, type MetaTree } from './key-tree-meta.js';
import { conflictError } from './tree-builder.js';

/**
 * The `CONFLICT` of putting `key` at `path`, if any: a value above it (`app/db` under `app/db/host`), a
 * branch at it, or another key already there. Each names both keys.
 */
export function conflictAt(
  meta: MetaTree,
  naming: LeafNaming,
  path: readonly string[],
  key: string,
  options: Pick<KeyTreeOptions, 'describe' | 'source'>,
): ConfigError | undefined {
  const { describe, source } = options;
  const existing = meta.get(path);
  const above = existing === undefined ? meta.leafOnPath(path) : undefined;
  if (above !== undefined) {
    const owner = naming.keyOf(above.path, above.mark);
    return conflictError(
      source,
      { input: describe(owner), path: above.path },
      { input: describe(key), path },
    );
  }
  if (existing instanceof Branch) {
    const [otherPath, otherMark] = meta.leaves(path).next().value as [string[], LeafMark];
    const other = naming.keyOf(otherPath, otherMark);
    return conflictError(source, { input: describe(key), path }, { input: describe(other), path: otherPath });
  }
  if (existing !== undefined) {
    const owner = naming.keyOf(path, existing);
    return conflictError(source, { input: describe(owner), path }, { input: describe(key), path });
  }
  return undefined;
}

/** The net delta of a batch: each touched leaf path as it is now (set) or its highest vanished path. */
export function deltaOf(
  meta: MetaTree,
  naming: LeafNaming,
  data: ConfigData,
  before: ConfigData,
  touched: readonly string[][],
): ChangeSetDelta {
  const set: ChangeSetDelta['set'] = [];
  const deleted = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const path of touched) {
    const key = pathKey(path);
    if (seen.has(key)) continue;
    seen.add(key);
    const mark = meta.get(path);
    if (mark !== undefined && !(mark instanceof Branch)) {
      set.push([path, valueAt(data, path), naming.originOf(path, mark)]);
      continue;
    }
    // A leaf that became a branch is deleted as a whole; the sets below rebuild it.
    const gone = valueAt(data, path) !== undefined ? [...path] : vanished(before, data, path);
    if (gone) deleted.set(pathKey(gone), gone);
  }
  const paths = [...deleted.values()].sort((a, b) => a.length - b.length);
  const kept: string[][] = [];
  for (const path of paths) {
    if (!kept.some((outer) => outer.every((key, index) => path[index] === key))) kept.push(path);
  }
  return { set, deleted: kept };
}
