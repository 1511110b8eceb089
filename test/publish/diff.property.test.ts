/**
 * publish/diff: `reconcile` lists exactly the changed leaves and shares every unchanged subtree;
 * `reconcileAt` and `changedPathsUpTo` agree with it. Reference model: flatten both trees to
 * leaf → JSON text and compare the maps (arrays and empty objects are leaves, except that a path
 * holding an object on both sides is a branch).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedPathsUpTo, reconcile, reconcileAt } from '../../src/publish/diff.js';
import { formatPath, parsePath } from '../../src/reader/path.js';

const key = fc.constantFrom('a', 'b', 'c', 'a.b', '', 'x y');
const leaf = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer({ max: 2 }), { maxLength: 2 }),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('object')),
  object: fc.dictionary(key, tie('node'), { maxKeys: 3 }),
})).object as fc.Arbitrary<Record<string, unknown>>;

/** Leaf path (formatted) → JSON of the leaf. */
function leaves(value: unknown, path: string[] = [], out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [child, inner] of Object.entries(value)) leaves(inner, [...path, child], out);
  } else if (path.length > 0) out.set(formatPath(path), JSON.stringify(value));
  return out;
}

function modelChanged(previous: unknown, next: unknown): string[] {
  const before = leaves(previous);
  const after = leaves(next);
  const changed = new Set<string>();
  for (const [path, text] of before) if (after.get(path) !== text) changed.add(path);
  for (const [path, text] of after) if (before.get(path) !== text) changed.add(path);
  // An empty object is a leaf only against something that is not an object: where both sides hold
  // objects, the change is in the leaves below.
  const isObject = (value: unknown): boolean =>
    value !== null && typeof value === 'object' && !Array.isArray(value);
  const at = (value: unknown, keys: string[]): unknown =>
    keys.reduce<unknown>(
      (node, child) => (isObject(node) ? (node as Record<string, unknown>)[child] : undefined),
      value,
    );
  return [...changed]
    .filter((path) => !(isObject(at(previous, parsePath(path))) && isObject(at(next, parsePath(path)))))
    .sort();
}

/** Whether every subtree of `next` equal to the one at the same path of `previous` is that very object. */
function sharesUnchanged(previous: unknown, result: unknown): boolean {
  if (JSON.stringify(previous) === JSON.stringify(result))
    return previous === result || typeof result !== 'object' || result === null;
  if (!previous || !result || typeof previous !== 'object' || typeof result !== 'object') return true;
  if (Array.isArray(previous) || Array.isArray(result)) return true;
  return Object.entries(result).every(([child, inner]) =>
    sharesUnchanged((previous as Record<string, unknown>)[child], inner),
  );
}

describe('diff (reconcile)', () => {
  it('lists exactly the changed leaves, shares unchanged subtrees, and keeps the content of next', () => {
    fc.assert(
      fc.property(tree, tree, (previous, next) => {
        const result = reconcile(previous, next);
        const changed = result.changedPaths.map(formatPath);
        expect([...changed].sort()).toEqual(modelChanged(previous, next));
        expect(new Set(changed).size).toBe(changed.length);
        expect(result.value).toEqual(next);
        expect(sharesUnchanged(previous, result.value)).toBe(true);
        if (changed.length === 0) expect(result.value).toBe(previous);
      }),
      { numRuns: 1000 },
    );
  });

  it('reconcileAt over the top-level keys and changedPathsUpTo agree with reconcile', () => {
    fc.assert(
      fc.property(tree, tree, fc.integer({ min: 0, max: 6 }), (previous, next, limit) => {
        const whole = reconcile(previous, next);
        const wholeChanged = whole.changedPaths.map(formatPath).sort();
        const roots = [...new Set([...Object.keys(previous), ...Object.keys(next)])].map((root) => [root]);
        expect(reconcileAt(previous, next, roots).changedPaths.map(formatPath).sort()).toEqual(wholeChanged);
        const upTo = changedPathsUpTo(previous, next, limit);
        if (whole.changedPaths.length > limit) expect(upTo).toBeUndefined();
        else expect(upTo?.map(formatPath).sort()).toEqual(wholeChanged);
      }),
      { numRuns: 500 },
    );
  });
});
