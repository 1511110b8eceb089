/** What a redacted value prints as. */
export const REDACTED = '[redacted]';

/** Whether the change walk descends into both: objects (arrays and Dates too) of the same kind. */
export function sameKindOfNode(before: unknown, after: unknown): boolean {
  return (
    before !== null &&
    typeof before === 'object' &&
    after !== null &&
    typeof after === 'object' &&
    Array.isArray(before) === Array.isArray(after)
  );
}

/** Whether a value is an object the redactor descends into (not an array, not a Date). */
export function isBranch(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** Masks every leaf of a secret value, keeping its shape; `null`/`undefined` stay as they are. */
export function mask(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(mask);
  if (isBranch(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, mask(child)]));
  }
  return REDACTED;
}
