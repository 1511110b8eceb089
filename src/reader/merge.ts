import { isPlainObject, UNSAFE_KEYS } from './tree.js';

/**
 * Deep-merges layers, lowest priority first, into a fresh tree that shares nothing with its inputs.
 * Objects merge key by key; arrays and scalars replace; `null` replaces; `undefined` is absent.
 * `__proto__` keys are dropped at any depth (collected in `dropped`), so no input can reach a prototype.
 *
 * Written here rather than taken from deepmerge-ts because it also copies every container (snapshots
 * are frozen; sources' objects must not be) and reports the keys it drops, in one pass.
 */
export function mergeLayers(layers: readonly unknown[], dropped: string[][] = []): Record<string, unknown> {
  let result: Record<string, unknown> = {};
  for (const layer of layers) {
    if (isPlainObject(layer)) result = mergeInto(result, layer, [], dropped);
  }
  return result;
}

/**
 * Merges one layer into `target` (which must be a tree this module created) and returns it.
 * Used to merge layers one at a time when later layers need to see the tree below them.
 */
export function mergeLayer(
  target: Record<string, unknown>,
  layer: unknown,
  dropped: string[][] = [],
): Record<string, unknown> {
  return isPlainObject(layer) ? mergeInto(target, layer, [], dropped) : target;
}

function mergeInto(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  path: string[],
  dropped: string[][],
): Record<string, unknown> {
  for (const key of Object.keys(source)) {
    if (UNSAFE_KEYS.has(key)) {
      dropped.push([...path, key]);
      continue;
    }
    const incoming = source[key];
    if (incoming === undefined) continue;
    const current = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isPlainObject(incoming)) {
      const base = isPlainObject(current) ? current : {};
      target[key] = mergeInto(base, incoming, [...path, key], dropped);
    } else {
      target[key] = cloneValue(incoming, [...path, key], dropped);
    }
  }
  return target;
}

/** Copies a value deeply (plain objects and arrays), dropping unsafe keys. */
export function cloneValue(value: unknown, path: string[] = [], dropped: string[][] = []): unknown {
  if (Array.isArray(value))
    return value.map((item, index) => cloneValue(item, [...path, String(index)], dropped));
  if (isPlainObject(value)) return mergeInto({}, value, path, dropped);
  return value;
}
