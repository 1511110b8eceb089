/** Conversions of loosely typed inputs (strings from env, flags, KV stores) to typed values. */

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 'y', 't']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'n', 'f']);

/** A number from a number or a numeric string (`"8080"`, `" 1e3 "`); `undefined` otherwise. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '' || !/^[-+]?(\d|\.\d|Infinity)/.test(trimmed)) {
      if (/^0[xob][0-9a-f]+$/i.test(trimmed)) return Number(trimmed);
      return undefined;
    }
    const parsed = Number(trimmed);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** A boolean from a boolean, 0/1, or a word (`true/false`, `1/0`, `yes/no`, `on/off`); `undefined` otherwise. */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  return undefined;
}

/** An array from an array, a JSON array string, or a comma-separated list (`"a, b"` → `['a','b']`). */
export function toArray(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: fall through to the comma list
    }
  }
  return trimmed.split(',').map((item) => item.trim());
}

/** An object from a plain object or a JSON object string. */
export function toObject(value: unknown): Record<string, unknown> | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return value as Record<string, unknown>;
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
