import { ConfigError } from './errors.js';
import { formatPath } from './path.js';
import { isPlainObject, MAX_DEPTH, UNSAFE_KEYS } from './tree.js';

/**
 * Deep-merges layers, lowest priority first, into a new tree. Objects merge key by key; arrays and
 * scalars replace; `null` replaces; `undefined` is absent. `__proto__` keys are dropped at any depth
 * (their paths are collected in `dropped`), so no input can reach a prototype.
 *
 * Subtrees that only one layer supplies are adopted, not copied: they are cleaned of unsafe keys and
 * frozen in place, so a layer's data must not be changed after it is handed to the reader (sources
 * hand over fresh data; the loader copies user objects such as `defaults`). Where two layers meet,
 * the merged object is a new one (copy on write), so adopted subtrees are never modified.
 *
 * Written here rather than taken from deepmerge-ts because it adopts instead of copying (a 10,000-key
 * file merges in a fraction of a millisecond) and reports the keys it drops, in one pass.
 */
export function mergeLayers(layers: readonly unknown[], dropped: string[][] = []): Record<string, unknown> {
  let result: Record<string, unknown> = {};
  for (const layer of layers) result = mergeLayer(result, layer, dropped);
  return result;
}

/**
 * Merges one layer over `target` and returns the result (`target` itself when it is a fresh object
 * this module created, else a copy). Used to merge layers one at a time.
 */
export function mergeLayer(
  target: Record<string, unknown>,
  layer: unknown,
  dropped: string[][] = [],
): Record<string, unknown> {
  if (!isPlainObject(layer)) return target;
  return mergeObjects(target, layer, [], dropped);
}

function mergeObjects(
  base: Record<string, unknown>,
  incoming: Record<string, unknown>,
  path: string[],
  dropped: string[][],
): Record<string, unknown> {
  const target = Object.isFrozen(base) ? { ...base } : base;
  for (const key of Object.keys(incoming)) {
    if (UNSAFE_KEYS.has(key)) {
      dropped.push([...path, key]);
      continue;
    }
    const value = incoming[key];
    if (value === undefined) continue;
    const current = Object.hasOwn(target, key) ? target[key] : undefined;
    path.push(key);
    target[key] =
      isPlainObject(value) && isPlainObject(current)
        ? mergeObjects(current, value, path, dropped)
        : adopt(value, path, dropped);
    path.pop();
  }
  return target;
}

/**
 * Roots of subtrees this module has cleaned and frozen: adopting them again costs nothing. Only roots
 * are remembered (one entry per adopted subtree, not per object), which keeps the first load cheap.
 */
const adopted = new WeakSet<object>();

/**
 * Cleans a subtree of unsafe keys (and of `undefined` values, which are absent) and freezes it in
 * place; returns it. A subtree that arrives already frozen (a custom source may freeze its data)
 * cannot be cleaned in place: it is checked, and replaced by a cleaned copy when it holds unsafe keys.
 */
export function adopt(value: unknown, path: string[] = [], dropped: string[][] = []): unknown {
  const clean = adoptSubtree(value, path, dropped);
  if (clean !== null && typeof clean === 'object') adopted.add(clean);
  return clean;
}

function adoptSubtree(value: unknown, path: string[], dropped: string[][]): unknown {
  if (value === null || typeof value !== 'object' || adopted.has(value)) return value;
  if (path.length > MAX_DEPTH) {
    throw new ConfigError(
      'PARSE',
      `nesting deeper than ${MAX_DEPTH} levels at ${formatPath(path.slice(0, 5))}…`,
    );
  }
  if (Object.isFrozen(value)) return adoptFrozen(value, path, dropped);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (item === null || typeof item !== 'object') continue;
      path.push(String(index));
      const clean = adoptSubtree(item, path, dropped);
      if (clean !== item) value[index] = clean;
      path.pop();
    }
    return Object.freeze(value);
  }
  if (!isPlainObject(value)) return value;
  for (const key of Object.keys(value)) {
    if (UNSAFE_KEYS.has(key)) {
      dropped.push([...path, key]);
      delete value[key];
      continue;
    }
    const child = value[key];
    if (child === undefined) {
      // `undefined` is absent, here as where layers meet
      delete value[key];
    } else if (child !== null && typeof child === 'object') {
      path.push(key);
      const clean = adoptSubtree(child, path, dropped);
      if (clean !== child) value[key] = clean;
      path.pop();
    }
  }
  return Object.freeze(value);
}

/** A frozen subtree: itself when it is clean (and then remembered), else a cleaned, frozen copy. */
function adoptFrozen(value: object, path: string[], dropped: string[][]): unknown {
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  let copy: Record<string, unknown> | unknown[] | undefined;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    const unsafe = UNSAFE_KEYS.has(key);
    if (!Array.isArray(value) && (unsafe || source[key] === undefined)) {
      if (unsafe) dropped.push([...path, key]);
      copy ??= copyUpTo(source, keys, index);
      continue;
    }
    const child = source[key];
    path.push(key);
    const clean = adoptSubtree(child, path, dropped);
    path.pop();
    if (clean !== child) copy ??= copyUpTo(source, keys, index);
    if (copy) (copy as Record<string, unknown>)[key] = clean;
  }
  return copy ? Object.freeze(copy) : value;
}

/** A fresh array or plain object holding the first `count` keys of `source`. */
function copyUpTo(
  source: Record<string, unknown>,
  keys: readonly string[],
  count: number,
): Record<string, unknown> | unknown[] {
  const copy: Record<string, unknown> = Array.isArray(source)
    ? ([] as unknown as Record<string, unknown>)
    : {};
  for (let index = 0; index < count; index++) {
    const key = keys[index] as string;
    copy[key] = source[key];
  }
  return copy;
}
