import { stringify } from 'yaml';

/**
 * A tree with `leaves` leaves, three levels deep: `s<i>.g<j>.k<n>` (sections of groups of keys),
 * with numbers, strings and booleans as values.
 */
export function makeTree(leaves = 10_000): Record<string, Record<string, Record<string, unknown>>> {
  const tree: Record<string, Record<string, Record<string, unknown>>> = {};
  for (let index = 0; index < leaves; index++) {
    const section = `s${index % 20}`;
    const group = `g${Math.floor(index / 20) % 25}`;
    const key = `k${index}`;
    tree[section] ??= {};
    (tree[section] as Record<string, Record<string, unknown>>)[group] ??= {};
    const value = index % 3 === 0 ? index : index % 3 === 1 ? `value-${index}` : index % 2 === 0;
    ((tree[section] as Record<string, Record<string, unknown>>)[group] as Record<string, unknown>)[key] =
      value;
  }
  return tree;
}

/** The YAML text of {@link makeTree}. */
export function makeYaml(leaves = 10_000): string {
  return stringify(makeTree(leaves));
}
