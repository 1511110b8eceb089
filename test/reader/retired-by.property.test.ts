/**
 * `retiredBy` (the redaction service's record of what a change retired) walks a change once, judging
 * each path on the way down, with origins judged without positions. Reference model: the walk it
 * replaced, which asked `secretsIn` and `isSecretOrigin` at each differing path from scratch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Origin } from '../../src/reader/provenance.js';
import { createRedactor, type Redactor, retiredBy } from '../../src/reader/redaction/index.js';

/** The old `RetiredSecrets.record` walk. */
function model(
  judge: Redactor,
  originOf: (path: readonly string[]) => Origin | undefined,
  previous: unknown,
  current: unknown,
): { texts: string[]; originPaths: string[][] } {
  const texts: string[] = [];
  const originPaths: string[][] = [];
  const isBranch = (value: unknown) => value !== null && typeof value === 'object';
  const walk = (before: unknown, after: unknown, path: string[]): void => {
    if (before === after || before === undefined) return;
    if (isBranch(before) && isBranch(after) && Array.isArray(before) === Array.isArray(after)) {
      for (const key of Object.keys(before as object)) {
        walk((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], [
          ...path,
          key,
        ]);
      }
      return;
    }
    texts.push(...judge.secretsIn(before, path));
    if (path.length > 0 && judge.isSecretOrigin(originOf(path))) originPaths.push(path);
  };
  walk(previous, current, []);
  return { texts, originPaths };
}

const key = fc.constantFrom('a', 'b', 'db', 'password', 'apiKey', 'host', 'list', 'x');
const leaf = fc.oneof(
  fc.constantFrom('plain', 'Bearer abcdefghijklmnop123', 'https://u:hunter2pw@h/x', 'value-1'),
  fc.integer({ min: -5, max: 5 }),
  fc.boolean(),
  fc.constant(null),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    fc.array(tie('node'), { maxLength: 3 }),
  ),
  root: fc.dictionary(key, fc.dictionary(key, tie('node'), { maxKeys: 3 }), { minKeys: 1, maxKeys: 4 }),
})).root;

/** `after` sharing `before`'s subtrees where a coin says so (snapshots share unchanged subtrees). */
function share(before: unknown, after: unknown, coins: boolean[]): unknown {
  if (coins.shift()) return before;
  if (before === null || after === null || typeof before !== 'object' || typeof after !== 'object')
    return after;
  if (Array.isArray(before) !== Array.isArray(after)) return after;
  const out: Record<string, unknown> = Array.isArray(after) ? ([] as unknown as Record<string, unknown>) : {};
  for (const [name, value] of Object.entries(after)) {
    out[name] = share((before as Record<string, unknown>)[name], value, coins);
  }
  return out;
}

describe('retiredBy', () => {
  it('finds what the per-path walk finds: texts and origin-secret paths', () => {
    fc.assert(
      fc.property(
        tree,
        tree,
        fc.array(fc.boolean(), { maxLength: 40 }),
        fc.subarray(['a', 'b', 'x', 'list']),
        fc.constantFrom<'resolvedBy' | 'vars' | 'env'>('resolvedBy', 'vars', 'env'),
        (before, after, coins, secretKeys, kind) => {
          const current = share(before, after, [...coins]);
          // Values under the chosen keys come from a secret origin (a resolver, a secret variable).
          const originOf = (path: readonly string[]): Origin | undefined =>
            path.some((name) => secretKeys.includes(name))
              ? kind === 'resolvedBy'
                ? { resolvedBy: 'age' }
                : kind === 'vars'
                  ? ({ file: 'app.yaml', vars: ['DB_PASSWORD'] } as Origin)
                  : ({ env: 'APP_TOKEN' } as Origin)
              : ({ file: 'app.yaml' } as Origin);
          const judge = createRedactor({ paths: ['b.*'] }).withContext({ originOf });
          const found = retiredBy(judge, before, current);
          const expected = model(judge, originOf, before, current);
          expect(found.texts).toEqual(expected.texts);
          expect(found.originPaths).toEqual(expected.originPaths);
        },
      ),
      { numRuns: 400 },
    );
  });
});
