import { coerceTree } from '../reader/coerce.js';
import type { ConfigData } from '../reader/contract.js';
import type { DroppedKey, Layer } from '../reader/layers.js';
import { adopt, mergeLayer } from '../reader/merge.js';
import { type Shape, shapeAt } from '../reader/schema-shape.js';
import { type SplitLevel, splitSchema } from '../reader/schema-split.js';
import { issuePath, type StandardSchemaV1 } from '../reader/standard-schema.js';
import { getPath, isPlainObject, UNSAFE_KEYS, withPath } from '../reader/tree.js';
import { runSchema, validateTree, validationError } from '../reader/validate.js';

/** The inputs of an incremental commit. */
export interface PatchInput {
  /** The new layers (the changed one replaced). */
  layers: readonly Layer[];
  /** The changed layers' data before the change (their paths decide how far a change reaches too). */
  previousData: readonly ConfigData[];
  /** Key paths the change touched (set or deleted). */
  paths: readonly (readonly string[])[];
  /** The merged tree and validated value of the current snapshot. */
  merged: ConfigData;
  value: unknown;
  schema: StandardSchemaV1 | undefined;
  shape: Shape | undefined;
}

/** The patched merged tree and value; `changedRoots` are the subtrees that were re-validated. */
export interface PatchResult {
  merged: ConfigData;
  value: unknown;
  dropped: DroppedKey[];
  /**
   * The paths at which `value` was replaced (disjoint); undefined when the whole tree was validated
   * (the schema could not be split at a changed path).
   */
  valueRoots: (readonly string[])[] | undefined;
}

function isAncestorOrSelf(ancestor: readonly string[], path: readonly string[]): boolean {
  if (ancestor.length > path.length) return false;
  for (let index = 0; index < ancestor.length; index++) if (ancestor[index] !== path[index]) return false;
  return true;
}

/** Keeps the outermost of nested paths (a subtree recomputed whole covers the paths below it). */
function outermost(paths: readonly (readonly string[])[]): (readonly string[])[] {
  const sorted = [...paths].sort((a, b) => a.length - b.length);
  const kept: (readonly string[])[] = [];
  for (const path of sorted) if (!kept.some((outer) => isAncestorOrSelf(outer, path))) kept.push(path);
  return kept;
}

/**
 * How far a change at `path` reaches in the merged tree: the path itself, or its highest ancestor that
 * some layer (or the changed layer before the change) holds as a non-object, since merging replaces
 * such a value whole.
 */
function reach(path: readonly string[], datas: readonly ConfigData[]): readonly string[] {
  for (let end = 1; end < path.length; end++) {
    const ancestor = path.slice(0, end);
    for (const data of datas) {
      const node = getPath(data, ancestor);
      if (node !== undefined && !isPlainObject(node)) return ancestor;
    }
  }
  return path;
}

/** The merged value at `path`: every layer's value there, merged lowest first (as a full merge does). */
function mergedAt(layers: readonly Layer[], path: readonly string[], dropped: DroppedKey[]): unknown {
  let current: unknown;
  for (const layer of layers) {
    const value = getPath(layer.data, path);
    if (value === undefined) continue;
    const droppedHere: string[][] = [];
    current =
      isPlainObject(value) && isPlainObject(current)
        ? mergeLayer(current, value, droppedHere)
        : adopt(value, [], droppedHere);
    for (const rest of droppedHere) dropped.push({ source: layer.source, path: [...path, ...rest] });
  }
  return current;
}

/**
 * Removes the branches that a deletion left empty, where no layer holds them any more (a full merge
 * would not have created them).
 */
function pruneEmpty(
  tree: ConfigData,
  path: readonly string[],
  layers: readonly Layer[],
): { tree: ConfigData; at: readonly string[] } {
  let out = tree;
  let at = path;
  for (let end = path.length - 1; end >= 1; end--) {
    const parent = path.slice(0, end);
    const node = getPath(out, parent);
    if (!isPlainObject(node) || Object.keys(node).length > 0) break;
    if (layers.some((layer) => getPath(layer.data, parent) !== undefined)) break;
    out = withPath(out, parent, undefined) as ConfigData;
    at = parent;
  }
  return { tree: out, at };
}

/**
 * Patches the merged tree along the changed paths only (path copy; every other subtree shared), then
 * coerces and validates only the changed subtrees, at the deepest point where the schema can be split
 * (see `splitSchema`); where it cannot (a root refinement, a union, an unknown validator), it validates
 * the whole patched tree. Equal to a full rebuild: a property test holds it.
 */
export async function patchIncrementally(input: PatchInput): Promise<PatchResult | undefined> {
  const datas = [...input.layers.map((layer) => layer.data), ...input.previousData];
  // A path through a `__proto__` key is recomputed from above it, where the merge drops and reports it.
  // A top-level `__proto__` key: the caller merges fully.
  if (input.paths.some((path) => path.length > 0 && UNSAFE_KEYS.has(path[0] as string))) return undefined;
  const safe = input.paths.map((path) => {
    const unsafe = path.findIndex((key) => UNSAFE_KEYS.has(key));
    return unsafe === -1 ? path : path.slice(0, unsafe);
  });
  const roots = outermost(safe.map((path) => reach(path, datas)));
  const dropped: DroppedKey[] = [];
  let merged = input.merged;
  const touched: (readonly string[])[] = [];
  for (const root of roots) {
    const value = mergedAt(input.layers, root, dropped);
    merged = withPath(merged, root, value) as ConfigData;
    if (value === undefined) {
      const pruned = pruneEmpty(merged, root, input.layers);
      merged = pruned.tree;
      touched.push(pruned.at);
    } else {
      touched.push(root);
    }
  }
  const { schema, shape } = input;
  // Without a schema the value is the merged tree itself (the loader keeps them one and the same).
  if (!schema) return { merged, value: merged, dropped, valueRoots: outermost(touched) };

  // Where to validate each changed root: the deepest prefix the schema splits at, whose ancestors are
  // branches both in the new merged tree and in the current value.
  const points: (readonly string[])[] = [];
  for (const root of roots) {
    const schemas = splitSchema(schema, root);
    let depth = Math.min(schemas.length - 1, root.length);
    while (depth > 0 && !branchesAbove(root.slice(0, depth), merged, input.value)) depth--;
    if (depth === 0) {
      const value = await validateTree(merged, schema, shape, input.layers);
      return { merged, value, dropped, valueRoots: undefined };
    }
    points.push(root.slice(0, depth));
  }
  const replaced = outermost(points);
  const value = await validateAt(replaced, merged, input.value, schema, shape, input.layers);
  return { merged, value, dropped, valueRoots: replaced };
}

/**
 * Coerces and validates the subtree at each point and puts its output into `value`. Every point is
 * validated, and the issues of all of them are thrown together, so that one edit reports every issue a
 * full validation would (not only those of the first failing subtree).
 */
async function validateAt(
  points: readonly (readonly string[])[],
  merged: ConfigData,
  current: unknown,
  schema: StandardSchemaV1,
  shape: Shape | undefined,
  layers: readonly Layer[],
): Promise<unknown> {
  let value = current;
  let input: unknown = merged;
  const issues: StandardSchemaV1.Issue[] = [];
  for (const point of points) {
    const level = splitSchema(schema, point)[point.length] as SplitLevel;
    const raw = getPath(merged, point);
    if (raw === undefined && level.recordEntry) {
      value = withPath(value, point, undefined);
      continue;
    }
    const pointShape = shape ? shapeAt(shape, point) : undefined;
    const coerced = pointShape ? coerceTree(raw, pointShape) : raw;
    const result = await runSchema(level.schema, coerced);
    if (result.issues) {
      issues.push(...result.issues.map((issue) => ({ ...issue, path: [...point, ...issuePath(issue)] })));
      input = withPath(input, point, coerced);
      continue;
    }
    value = withPath(value, point, result.value);
  }
  if (issues.length > 0) throw validationError(issues, input, layers);
  return value;
}

/** Whether every proper ancestor of `path` is a plain object in both trees. */
function branchesAbove(path: readonly string[], a: unknown, b: unknown): boolean {
  for (let end = 0; end < path.length; end++) {
    const ancestor = path.slice(0, end);
    if (!isPlainObject(getPath(a, ancestor)) || !isPlainObject(getPath(b, ancestor))) return false;
  }
  return true;
}
