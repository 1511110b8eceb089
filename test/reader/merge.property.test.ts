/**
 * Property tests of the reader's core: merge, path lookups, env-name mapping and snapshot diffs.
 * Runs per property (kept small so the file takes well under a few seconds):
 *   merge vs reference model 400 · merge deterministic/incremental 300 · get/has vs naive walk 300 ·
 *   Config.get/has vs naive walk 200 · env names round-trip 400 · reconcile vs leaf model 400 ·
 *   reconcile identity sharing 300.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { reconcile } from '../../src/publish/diff.js';
import { mergeLayers } from '../../src/reader/merge.js';
import { formatPath } from '../../src/reader/path.js';
import { deepEqual, getPath, hasPath, isPlainObject } from '../../src/reader/tree.js';
import { envNameToPath } from '../../src/sources/env/env.js';

type Tree = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Keys that stress paths: dots, empty, numeric-looking, unicode, Object.prototype names. */
const trickyKey = fc.constantFrom(
  'a',
  'b',
  'c',
  '',
  '0',
  '1',
  '01',
  '-1',
  '1e3',
  'a.b',
  '.',
  'é',
  '日本',
  '🙂',
  'length',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
);
/** Random keys; `\u0000` is left out (see the Snapshot cache note in config-get below). */
const anyKey = fc
  .oneof(trickyKey, fc.string({ maxLength: 4, unit: 'grapheme' }))
  .filter((key) => !key.includes('\u0000'));
const mergeKey = fc.oneof(
  { weight: 4, arbitrary: anyKey },
  { weight: 1, arbitrary: fc.constant('__proto__') },
);

const scalar = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom('x', 'y', '', true, false, null),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Builds an object with own keys exactly as given (a `__proto__` key becomes an own data key). */
function objectOf(entries: ReadonlyArray<readonly [string, unknown]>): Tree {
  const out: Tree = {};
  for (const [key, value] of entries)
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

function treeArbitrary(key: fc.Arbitrary<string>, withUndefined: boolean): fc.Arbitrary<Tree> {
  const { node } = fc.letrec<{ node: unknown; object: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      withUndefined ? fc.oneof(scalar, fc.constant(undefined)) : scalar,
      tie('object'),
      fc.array(tie('node'), { maxLength: 3 }),
    ),
    object: fc
      .uniqueArray(fc.tuple(key, tie('node')), { maxLength: 4, selector: ([k]) => k })
      .map((entries) => objectOf(entries)),
  }));
  return fc
    .uniqueArray(fc.tuple(key, node), { maxLength: 5, selector: ([k]) => k })
    .map((entries) => objectOf(entries));
}

/** Deep copy keeping own `__proto__` keys as data. */
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value))
    return objectOf(Object.keys(value).map((key) => [key, clone(value[key])] as const));
  return value;
}

/** An order-sensitive text of a tree that shows own `__proto__` keys and undefined. */
function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(show).join(',')}]`;
  if (isPlainObject(value))
    return `{${Object.keys(value)
      .map((key) => `${JSON.stringify(key)}:${show(value[key])}`)
      .join(',')}}`;
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Reference models

/** The merge semantics of DESIGN.md, written as plainly as possible; returns fresh objects. */
function referenceMerge(layers: readonly unknown[]): { tree: Tree; dropped: string[] } {
  const dropped: string[] = [];
  const cleaned = (value: unknown, path: string[]): unknown => {
    if (Array.isArray(value)) return value.map((item, index) => cleaned(item, [...path, String(index)]));
    if (!isPlainObject(value)) return value;
    const out: Tree = {};
    for (const key of Object.keys(value)) {
      if (key === '__proto__') {
        dropped.push([...path, key].join('\u0000'));
        continue;
      }
      if (value[key] === undefined) continue;
      out[key] = cleaned(value[key], [...path, key]);
    }
    return out;
  };
  const overlay = (base: Tree, top: Tree, path: string[]): Tree => {
    const out: Tree = { ...base };
    for (const key of Object.keys(top)) {
      if (key === '__proto__') {
        dropped.push([...path, key].join('\u0000'));
        continue;
      }
      const value = top[key];
      if (value === undefined) continue;
      const current = out[key];
      out[key] =
        isPlainObject(value) && isPlainObject(current)
          ? overlay(current, value, [...path, key])
          : cleaned(value, [...path, key]);
    }
    return out;
  };
  let tree: Tree = {};
  for (const layer of layers) if (isPlainObject(layer)) tree = overlay(tree, layer, []);
  return { tree, dropped: dropped.sort() };
}

/** A tree kept as Maps, so that lookups never touch JavaScript property semantics. */
type ModelNode =
  | { kind: 'object'; entries: Map<string, ModelNode> }
  | { kind: 'array'; items: ModelNode[] }
  | { kind: 'leaf'; value: unknown };

function toModel(value: unknown): ModelNode {
  if (Array.isArray(value)) return { kind: 'array', items: value.map(toModel) };
  if (isPlainObject(value))
    return { kind: 'object', entries: new Map(Object.keys(value).map((key) => [key, toModel(value[key])])) };
  return { kind: 'leaf', value };
}

const MISSING = Symbol('missing');

function naiveWalk(node: ModelNode, path: readonly string[]): ModelNode | typeof MISSING {
  let current: ModelNode = node;
  for (const key of path) {
    if (current.kind === 'object') {
      const next = current.entries.get(key);
      if (next === undefined) return MISSING;
      current = next;
    } else if (current.kind === 'array') {
      const index = /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : -1;
      const next = current.items[index];
      if (next === undefined) return MISSING;
      current = next;
    } else {
      return MISSING;
    }
  }
  return current;
}

function fromModel(node: ModelNode): unknown {
  if (node.kind === 'leaf') return node.value;
  if (node.kind === 'array') return node.items.map(fromModel);
  return Object.fromEntries([...node.entries].map(([key, child]) => [key, fromModel(child)]));
}

/** Every path of a tree (branches and leaves, array items included). */
function allPaths(value: unknown, path: string[] = [], out: string[][] = []): string[][] {
  out.push(path);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) allPaths(value[index], [...path, String(index)], out);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) allPaths(value[key], [...path, key], out);
  }
  return out;
}

/** A path to look up: often a real one, sometimes with a random tail or a random key swapped in. */
function pathInto(tree: Tree): fc.Arbitrary<string[]> {
  const paths = allPaths(tree);
  return fc.oneof(
    fc.constantFrom(...paths),
    fc
      .tuple(fc.constantFrom(...paths), fc.array(anyKey, { maxLength: 2 }))
      .map(([base, tail]) => [...base, ...tail]),
    fc.array(anyKey, { maxLength: 4 }),
  );
}

// ---------------------------------------------------------------------------------------------

describe('merge (properties)', () => {
  const layers = fc.array(treeArbitrary(mergeKey, true), { maxLength: 5 });

  it('equals the reference model, drops every __proto__ key and reports it', () => {
    fc.assert(
      fc.property(layers, (input) => {
        const expected = referenceMerge(input.map(clone));
        const dropped: string[][] = [];
        const merged = mergeLayers(input.map(clone), dropped);
        expect(show(merged)).toBe(show(expected.tree));
        expect(dropped.map((path) => path.join('\u0000')).sort()).toEqual(expected.dropped);
        for (const path of allPaths(merged)) expect(path).not.toContain('__proto__');
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic, leaves no undefined, and merging in steps equals merging at once', () => {
    fc.assert(
      fc.property(layers, fc.nat(), (input, cut) => {
        const merged = mergeLayers(input.map(clone));
        const once = show(merged);
        expect(show(mergeLayers(input.map(clone)))).toBe(once);
        const split = input.length === 0 ? 0 : cut % (input.length + 1);
        const head = mergeLayers(input.slice(0, split).map(clone));
        expect(show(mergeLayers([head, ...input.slice(split).map(clone)]))).toBe(once);
        for (const path of allPaths(merged)) {
          const value = getPath(merged, path);
          if (isPlainObject(value))
            for (const key of Object.keys(value)) expect(value[key]).not.toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('get/has (properties)', () => {
  const cases = treeArbitrary(anyKey, false).chain((tree) => fc.tuple(fc.constant(tree), pathInto(tree)));

  it('getPath/hasPath agree with a naive walk of a Map model', () => {
    fc.assert(
      fc.property(cases, ([tree, path]) => {
        const found = naiveWalk(toModel(tree), path);
        expect(hasPath(tree, path)).toBe(found !== MISSING);
        if (found === MISSING) expect(getPath(tree, path)).toBeUndefined();
        else expect(show(getPath(tree, path))).toBe(show(fromModel(found)));
      }),
      { numRuns: 300 },
    );
  });

  it('Config.get/has agree with the naive walk, in array form and the dotted form formatPath writes', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ([tree, path]) => {
        const config = await loadConfig({ defaults: tree, watch: false });
        const found = naiveWalk(toModel(tree), path);
        const expected = found === MISSING ? undefined : fromModel(found);
        // twice: the second lookup comes from the per-snapshot cache
        for (let round = 0; round < 2; round++) {
          expect(show(config.get(path))).toBe(show(expected));
          expect(config.has(path)).toBe(found !== MISSING);
          expect(config.at(path).exists()).toBe(found !== MISSING && expected !== undefined);
          // the dotted text the grammar writes always reads back to the same keys
          const dotted = formatPath(path);
          expect(show(config.get(dotted))).toBe(show(expected));
          expect(config.has(dotted)).toBe(found !== MISSING);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('env names (properties)', () => {
  /** camelCase keys made of lower-case words: ['max', 'connections'] → maxConnections. */
  // Half the words come from a tiny alphabet, so that sibling keys collide in interesting ways
  // (`a.a.a` beside `aA`, `aa` beside `a.aB`).
  const word = fc.oneof(fc.stringMatching(/^[ab][ab]?$/), fc.stringMatching(/^[a-z][a-z0-9]{0,4}$/));
  const camelKey = fc
    .array(word, { minLength: 1, maxLength: 3 })
    .map((words) => words.map((w, index) => (index === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join(''));
  const normal = (key: string) => key.toLowerCase();

  type Schema = { [key: string]: Schema | true };
  const schemaArbitrary: fc.Arbitrary<Schema> = fc.letrec<{ schema: Schema }>((tie) => ({
    schema: fc
      .uniqueArray(
        fc.tuple(camelKey, fc.oneof({ depthSize: 'small' }, fc.constant(true as const), tie('schema'))),
        {
          minLength: 1,
          maxLength: 4,
          selector: ([key]) => normal(key),
        },
      )
      .map((entries) => Object.fromEntries(entries) as Schema),
  })).schema;

  const screaming = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  const hintsOf = (schema: Schema) => ({
    childKeys(path: readonly string[]) {
      let node: Schema | true | undefined = schema;
      for (const key of path) node = node === true || node === undefined ? undefined : node[key];
      return node && node !== true ? Object.keys(node) : [];
    },
  });
  const leafPaths = (schema: Schema, path: string[] = []): string[][] =>
    Object.entries(schema).flatMap(([key, child]) =>
      child === true ? [[...path, key]] : leafPaths(child, [...path, key]),
    );

  it('SCREAMING_SNAKE names with __ between levels map back to the schema path', () => {
    fc.assert(
      fc.property(schemaArbitrary, (schema) => {
        for (const path of leafPaths(schema)) {
          const name = path.map(screaming).join('__');
          expect(envNameToPath(name, '__', hintsOf(schema))).toEqual(path);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('single-underscore names map back to the schema path whenever the name is unambiguous', () => {
    fc.assert(
      fc.property(schemaArbitrary, (schema) => {
        const leaves = leafPaths(schema);
        const names = leaves.map((path) => path.map(screaming).join('_'));
        leaves.forEach((path, index) => {
          const name = names[index] as string;
          if (names.filter((other) => other === name).length > 1) return; // two schema paths share this name
          expect(envNameToPath(name, '__', hintsOf(schema)), name).toEqual(path);
        });
      }),
      { numRuns: 400 },
    );
  });
});

describe('reconcile (properties)', () => {
  const pair = fc.tuple(treeArbitrary(anyKey, false), treeArbitrary(anyKey, false));
  /** Related trees: the second is the first with a few random edits, so that most keys are shared. */
  const edited = treeArbitrary(anyKey, false).chain((tree) =>
    fc
      .array(
        fc.tuple(pathInto(tree), fc.oneof(scalar, fc.constant('__delete__'), treeArbitrary(anyKey, false))),
        {
          maxLength: 3,
        },
      )
      .map((edits) => {
        const next = clone(tree) as Tree;
        for (const [path, value] of edits) applyEdit(next, path, value);
        return [tree, next] as const;
      }),
  );

  function applyEdit(root: Tree, path: readonly string[], value: unknown): void {
    if (path.length === 0) return;
    let node: unknown = root;
    for (const key of path.slice(0, -1)) {
      if (!isPlainObject(node) || !Object.hasOwn(node, key)) return;
      node = node[key];
    }
    if (!isPlainObject(node)) return;
    const last = path[path.length - 1] as string;
    if (value === '__delete__') delete node[last];
    else node[last] = value;
  }

  /** Leaves: values that are not non-empty plain objects (arrays are leaves), by path. */
  function leaves(
    value: unknown,
    path: string[] = [],
    out = new Map<string, { path: string[]; value: unknown }>(),
  ) {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const key of Object.keys(value)) leaves(value[key], [...path, key], out);
    } else {
      out.set(`${path.length}:${path.join('\u0000')}`, { path, value });
    }
    return out;
  }

  /** Whether `path` reaches a plain object through plain objects only (not through an array leaf). */
  function isBranch(tree: unknown, path: readonly string[]): boolean {
    let node = tree;
    for (const key of path) {
      if (!isPlainObject(node) || !Object.hasOwn(node, key)) return false;
      node = node[key];
    }
    return isPlainObject(node);
  }

  /**
   * The changed leaves: present on one side only or different. By the documented convention a path
   * that is a plain object on both sides is a branch, not a changed leaf (`{a: {}}` → `{a: {b: 1}}`
   * reports only `a.b`), so such paths are left out.
   */
  function expectedChanges(previous: Tree, next: Tree): string[] {
    const before = leaves(previous);
    const after = leaves(next);
    const changed: string[] = [];
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const a = before.get(key);
      const b = after.get(key);
      if (a && b && deepEqual(a.value, b.value)) continue;
      const path = (a ?? b)?.path as string[];
      if (isBranch(previous, path) && isBranch(next, path)) continue;
      changed.push(formatPath(path));
    }
    return changed.sort();
  }

  function checkReconcile(previous: Tree, next: Tree): void {
    const frozenPrevious = clone(previous) as Tree;
    const result = reconcile(frozenPrevious, clone(next));
    // key order may differ: an unchanged object keeps the previous one's order (and identity)
    expect(deepEqual(result.value, next)).toBe(true);
    const changed = result.changedPaths.map(formatPath);
    expect([...changed].sort()).toEqual(expectedChanges(previous, next));
    expect(new Set(changed).size).toBe(changed.length);
    if (changed.length === 0) expect(result.value).toBe(frozenPrevious);
  }

  it('reports exactly the changed leaves of unrelated trees', () => {
    fc.assert(
      fc.property(pair, ([previous, next]) => checkReconcile(previous, next)),
      { numRuns: 400 },
    );
  });

  it('reports exactly the changed leaves of edited trees and shares every unchanged subtree', () => {
    fc.assert(
      fc.property(edited, ([previous, next]) => {
        checkReconcile(previous, next);
        const prior = clone(previous) as Tree;
        const { value } = reconcile(prior, clone(next));
        for (const path of allPaths(next)) {
          const before = getPath(prior, path);
          const after = getPath(value, path);
          if (before !== null && typeof before === 'object' && deepEqual(before, getPath(next, path))) {
            expect(after).toBe(before);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
