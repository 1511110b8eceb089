import { ConfigError } from './errors.js';
import { isPlainObject, UNSAFE_KEYS } from './tree.js';

/**
 * A deep copy of `value` as plain config data: objects, arrays, strings, numbers, booleans, bigints
 * and null. A Date becomes its ISO string and a URL its href (a schema can coerce them back); an
 * `undefined` object entry is left out; anything else (Map, Set, Buffer, class instances, functions,
 * symbols) is rejected with `INVALID_ARGUMENT` naming the path, as are cycles and `__proto__` keys.
 */
export function toPlainValue(value: unknown, path: string, seen: Set<object> = new Set()): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return value;
    case 'undefined':
      return undefined;
    case 'object':
      break;
    default:
      throw invalid(path, `a ${typeof value} is not configuration data`);
  }
  const object = value as object;
  if (object instanceof Date) {
    if (Number.isNaN(object.getTime())) throw invalid(path, 'an invalid Date is not configuration data');
    return object.toISOString();
  }
  if (object instanceof URL) return object.href;
  if (seen.has(object)) throw invalid(path, 'a cycle is not configuration data');
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item, index) => toPlainValue(item, `${path}.${index}`, seen) ?? null);
    }
    if (!isPlainObject(object)) {
      const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw invalid(path, `a ${kind} is not configuration data (use plain objects, arrays and scalars)`);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object)) {
      if (UNSAFE_KEYS.has(key)) throw invalid(`${path}.${key}`, 'keys named __proto__ are never merged');
      const child = toPlainValue((object as Record<string, unknown>)[key], `${path}.${key}`, seen);
      if (child !== undefined) out[key] = child;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

function invalid(path: string, reason: string): ConfigError {
  return new ConfigError('INVALID_ARGUMENT', `${path || '(root)'}: ${reason}`, { path });
}
