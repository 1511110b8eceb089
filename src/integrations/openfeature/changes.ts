/**
 * The flag keys whose value differs between two versions of the subtree under the prefix: each child
 * key whose value changed, appeared or disappeared. Relies on what `config.watch` relies on: a
 * snapshot shares every unchanged subtree with the one before, so a value whose identity did not
 * change did not change. A prefix that is not an object (absent, a scalar) has no flags.
 */
export function changedFlagKeys(previous: unknown, next: unknown): string[] {
  const before = childrenOf(previous);
  const after = childrenOf(next);
  const changed: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key) || !Object.is(before.get(key), value)) changed.push(key);
  }
  for (const key of before.keys()) if (!after.has(key)) changed.push(key);
  return changed;
}

/** The own entries of an object or an array (indexes as keys); none for anything else. */
function childrenOf(value: unknown): Map<string, unknown> {
  if (value === null || typeof value !== 'object') return new Map();
  return new Map(Object.entries(value));
}
