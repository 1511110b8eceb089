import type { ConfigData } from '../reader/contract.js';
import { ConfigError } from '../reader/errors.js';
import { formatPath, type PathInput, toPath } from '../reader/path.js';
import { toPlainValue } from '../reader/plain.js';
import { getPath, isPlainObject, UNSAFE_KEYS, withPath } from '../reader/tree.js';

/** An edit of the override tree: from the overrides at its turn, the next ones and the paths it touched. */
export type OverrideEdit = (current: ConfigData) => { next: ConfigData; paths: (readonly string[])[] };

/** The keys of a `set`/`delete` path; a `__proto__` key is rejected (it could reach a prototype). */
function overridePath(path: PathInput): string[] {
  const keys = toPath(path);
  if (keys.some((key) => UNSAFE_KEYS.has(key))) {
    throw new ConfigError('INVALID_ARGUMENT', `${formatPath(keys)}: keys named __proto__ are never merged`, {
      path: formatPath(keys),
    });
  }
  return keys;
}

/**
 * The edit of `config.set(path, value)`: `value` copied as plain data (see `toPlainValue`) at `path`.
 * Throws `INVALID_ARGUMENT` at once for a `__proto__` key or a value that is not plain data.
 */
export function setOverride(path: PathInput, value: unknown): OverrideEdit {
  const keys = overridePath(path);
  const plain = toPlainValue(value, formatPath(keys));
  return (current) => ({ next: withPath(current, keys, plain) as ConfigData, paths: [keys] });
}

/** The edit of `config.delete(path)`: removes the override at `path` (the root: all of them). */
export function deleteOverride(path: PathInput): OverrideEdit {
  const keys = overridePath(path);
  return (current) => {
    if (keys.length === 0) return { next: {}, paths: Object.keys(current).map((key) => [key]) };
    const parent = getPath(current, keys.slice(0, -1));
    const last = keys[keys.length - 1] as string;
    if (!isPlainObject(parent) || !Object.hasOwn(parent, last)) return { next: current, paths: [] };
    return { next: withPath(current, keys, undefined) as ConfigData, paths: [keys] };
  };
}
