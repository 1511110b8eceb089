import { toArray, toBoolean, toNumber, toObject } from './coerce-scalar.js';
import type { Shape } from './schema-shape.js';
import { isPlainObject } from './tree.js';

/**
 * Converts string inputs to the kinds the schema expects: numbers, booleans, bigints, arrays (from a
 * JSON array or a comma list) and objects (from JSON). Values that do not convert are left as they
 * are, so that validation reports them with their source. Returns a new tree only where it changed.
 */
export function coerceTree(value: unknown, shape: Shape): unknown {
  switch (shape.kind) {
    case 'number': {
      if (typeof value !== 'string') return value;
      return toNumber(value) ?? value;
    }
    case 'boolean': {
      if (typeof value !== 'string' && typeof value !== 'number') return value;
      return toBoolean(value) ?? value;
    }
    case 'bigint': {
      if (typeof value !== 'string' && typeof value !== 'number') return value;
      try {
        return BigInt(typeof value === 'string' ? value.trim() : value);
      } catch {
        return value;
      }
    }
    case 'array': {
      if (typeof value !== 'string' && !Array.isArray(value)) return value;
      const items = toArray(value);
      if (!items) return value;
      return mapIfChanged(items, (item) => coerceTree(item, shape.item), items !== value);
    }
    case 'object':
    case 'record': {
      const object = typeof value === 'string' ? toObject(value) : value;
      if (!isPlainObject(object)) return value;
      let changed = object !== value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(object)) {
        const childShape = shape.kind === 'object' ? shape.children.get(key) : shape.value;
        const child = object[key];
        const coerced = childShape ? coerceTree(child, childShape) : child;
        if (coerced !== child) changed = true;
        out[key] = coerced;
      }
      return changed ? out : value;
    }
    case 'union':
      return coerceUnion(value, shape.options);
    default:
      return value;
  }
}

/** A string fits a union that accepts strings as it is; otherwise the first option that converts it wins. */
function coerceUnion(value: unknown, options: readonly Shape[]): unknown {
  if (
    typeof value !== 'string' ||
    options.some((option) => option.kind === 'string' || option.kind === 'unknown')
  ) {
    return value;
  }
  for (const option of options) {
    const coerced = coerceTree(value, option);
    if (coerced !== value) return coerced;
  }
  return value;
}

function mapIfChanged(items: unknown[], map: (item: unknown) => unknown, alreadyChanged: boolean): unknown[] {
  let changed = alreadyChanged;
  const out = items.map((item) => {
    const mapped = map(item);
    if (mapped !== item) changed = true;
    return mapped;
  });
  return changed ? out : items;
}
