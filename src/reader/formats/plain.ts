import { MAX_DEPTH } from '../tree.js';

/** Called with the path and the reason when a value cannot become plain data; must throw. */
export type RejectValue = (path: readonly string[], reason: string) => never;

/**
 * Turns what parsers produce beyond JSON into plain, freezable config data, in place:
 * - `Date` (YAML `!!timestamp`, TOML dates) → its ISO 8601 string (TOML local dates and times keep
 *   their own form: `1979-05-27`, `07:32:00`); an invalid date is rejected
 * - `Uint8Array`/`Buffer` (YAML `!!binary`) → a base64 string
 * - `Set` (YAML `!!set`) → an array of its members, in document order
 * - `Map` (YAML `!!omap`) → a plain object with the same keys, in order (keys become strings)
 * - an object without a prototype → an ordinary object with the same own keys
 * - anything else that is not a plain object, an array or a scalar (a class instance, a function, a
 *   bigint, a symbol) → `reject(path, reason)`
 *
 * Returns the (possibly replaced) root. Stops descending past {@link MAX_DEPTH}: the caller's depth
 * check rejects such documents.
 */
export function toPlainData(root: unknown, reject: RejectValue): unknown {
  const convert = (value: unknown, path: string[]): unknown => {
    if (value === null) return value;
    switch (typeof value) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'undefined':
        return value;
      case 'object':
        break;
      default:
        return reject(path, `a ${typeof value} cannot be a config value`);
    }
    if (path.length > MAX_DEPTH) return value;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const item = value[index];
        if (item !== null && typeof item === 'object') value[index] = convert(item, [...path, String(index)]);
        else if (!isScalar(item)) convert(item, [...path, String(index)]);
      }
      return value;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      const source = value as Record<string, unknown>;
      // Objects without a prototype (smol-toml makes them) become ordinary objects.
      const node = proto === null ? {} : source;
      for (const key of Object.keys(source)) {
        const child = source[key];
        if (child !== null && typeof child === 'object') setOwn(node, key, convert(child, [...path, key]));
        else if (isScalar(child)) {
          if (node !== source) setOwn(node, key, child);
        } else convert(child, [...path, key]);
      }
      return node;
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) return reject(path, 'an invalid date');
      return value.toISOString();
    }
    if (value instanceof Uint8Array) {
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    }
    if (value instanceof Set) {
      return convert([...value], path);
    }
    if (value instanceof Map) {
      const out: Record<string, unknown> = {};
      for (const [key, child] of value) setOwn(out, String(key), child);
      return convert(out, path);
    }
    const kind = (proto as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? 'object';
    return reject(path, `a ${kind} object cannot be a config value (only plain data)`);
  };
  return convert(root, []);
}

function isScalar(value: unknown): boolean {
  if (value === null) return true;
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'undefined';
}

/** Assigns an own data property, also for the key `__proto__` (which `=` would treat as the prototype). */
function setOwn(node: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    node[key] = value;
  }
}
