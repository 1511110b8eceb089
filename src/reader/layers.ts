import type { ConfigData, KeyHints } from './contract.js';
import { withoutOriginScans } from './formats/offset-origins.js';
import { describeOrigin, type OriginDescriber } from './origin-text.js';
import type { Origin, OriginMap } from './provenance.js';
import { type Shape, shapeAt } from './schema-shape.js';
import { getPath, isPlainObject } from './tree.js';

/** One layer of the merge, after late shaping: a source's data, its origins and its name. */
export interface Layer {
  source: string;
  data: ConfigData;
  origins?: OriginMap;
  /** The source's own describer of its origins (see `ChangeSet.describeOrigin`). */
  describe?: OriginDescriber;
}

/** Key hints from the schema's shape and the tree merged so far. */
export function hintsFrom(shape: Shape | undefined, below: ConfigData): KeyHints {
  return {
    childKeys(path) {
      const keys = new Set<string>();
      const node = getPath(below, path);
      if (isPlainObject(node)) for (const key of Object.keys(node)) keys.add(key);
      const known = shape ? shapeAt(shape, path) : undefined;
      if (known?.kind === 'object') for (const key of known.children.keys()) keys.add(key);
      return [...keys];
    },
  };
}

/** An unsafe key (`__proto__`) a layer supplied and the merge left out. */
export interface DroppedKey {
  source: string;
  path: string[];
}

/**
 * Key hints from the schema's shape and a list of layers (lowest first), equal to {@link hintsFrom}
 * over their merged tree but without merging: the keys at a path are those of the layers' objects
 * there, a non-object in a higher layer (at the path or above it) hiding the lower ones.
 */
export function hintsFromLayers(shape: Shape | undefined, layers: readonly Layer[]): KeyHints {
  return {
    childKeys(path) {
      let keys = new Set<string>();
      for (const layer of layers) {
        if (hidesBelow(layer.data, [...path, ''])) {
          keys = new Set();
          continue;
        }
        const node = getPath(layer.data, path);
        if (node === undefined) continue;
        if (!isPlainObject(node)) keys = new Set();
        else for (const key of Object.keys(node)) keys.add(key);
      }
      const known = shape ? shapeAt(shape, path) : undefined;
      if (known?.kind === 'object') for (const key of known.children.keys()) keys.add(key);
      return [...keys];
    },
  };
}

/** One layer's contribution at a path: its name, origin and raw value. */
export interface Contribution {
  source: string;
  origin: Origin | undefined;
  value: unknown;
  /** The origin as its source describes it (`describeOrigin`). */
  description: string;
}

/** Every layer that supplies a value at `path`, highest priority first (the first one wins). */
export function contributionsAt(layers: readonly Layer[], path: readonly string[]): Contribution[] {
  const found: Contribution[] = [];
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index] as Layer;
    const value = getPath(layer.data, path);
    if (value !== undefined) {
      const origin = layer.origins?.lookup(path);
      found.push({
        source: layer.source,
        origin,
        value,
        description: describeOrigin(origin, layer.source, layer.describe),
      });
    }
    // A scalar, array or null on the way to `path` hides every lower layer's value there.
    if (hidesBelow(layer.data, path)) break;
  }
  return found;
}

/** The origin of the winning value at `path` (the first of {@link contributionsAt}), without describing it. */
export function originAt(layers: readonly Layer[], path: readonly string[]): Origin | undefined {
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index] as Layer;
    if (getPath(layer.data, path) !== undefined) return layer.origins?.lookup(path);
    if (hidesBelow(layer.data, path)) return undefined;
  }
  return undefined;
}

/**
 * {@link originAt} without line and column: what judging secrecy needs (the resolver, interpolated
 * variables, the env or flag name), answered without scanning a document for positions (see
 * `withoutOriginScans`). Redaction judges with this, so no reload, change event or history entry pays
 * for provenance nobody asked for.
 */
export function secrecyOriginAt(layers: readonly Layer[], path: readonly string[]): Origin | undefined {
  return withoutOriginScans(() => originAt(layers, path));
}

function hidesBelow(data: ConfigData, path: readonly string[]): boolean {
  let node: unknown = data;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(node) || !Object.hasOwn(node, key)) return false;
    node = node[key];
    if (node !== undefined && !isPlainObject(node)) return true;
  }
  return false;
}
