import type { ChangeSet, KeyHints, ResolvedData } from '../reader/contract.js';
import { pathKey } from '../reader/provenance.js';

interface Memo {
  /** Every key-hint question the last resolve asked, with its answer. */
  questions: Map<string, { path: readonly string[]; answer: readonly string[] }>;
  /** The pathKeys of every proper ancestor of a question's path. */
  above: Set<string> | undefined;
  result: ResolvedData;
}

function ancestorsOf(questions: Iterable<{ path: readonly string[] }>): Set<string> {
  const above = new Set<string>();
  for (const { path } of questions) {
    for (let end = 0; end < path.length; end++) above.add(pathKey(path.slice(0, end)));
  }
  return above;
}

function sameAnswer(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * Remembers the late shaping (`ChangeSet.resolve`, e.g. the env source's schema-guided names) of each
 * ChangeSet together with the key-hint questions it asked. The next build reuses the result when the
 * same questions get the same answers, so an environment is mapped once per read, not once per reload
 * (100,000 variables cost 2 s to map).
 */
export class ResolveMemo {
  private readonly memos = new WeakMap<ChangeSet, Memo>();

  /** The shaped data of `changeSet` under `hints`: remembered, or computed and remembered. */
  resolve(changeSet: ChangeSet & { resolve(hints: KeyHints): ResolvedData }, hints: KeyHints): ResolvedData {
    const memo = this.memos.get(changeSet);
    if (memo && this.stillValid(memo, hints)) return memo.result;
    const questions: Memo['questions'] = new Map();
    const recording: KeyHints = {
      childKeys(path) {
        const key = pathKey(path);
        const known = questions.get(key);
        if (known) return known.answer;
        const answer = hints.childKeys(path);
        questions.set(key, { path: [...path], answer });
        return answer;
      },
    };
    const result = changeSet.resolve(recording);
    this.memos.set(changeSet, { questions, above: undefined, result });
    return result;
  }

  /**
   * The remembered shaping of `changeSet`, when the layers below changed only at `changedPaths` and
   * no question it asked has a new answer under `hints`. Only the questions a changed path can touch
   * are asked again: those on the way to it (their keys change only when a key is added or removed)
   * and those below it. Cost: O(changed paths × depth), not O(questions).
   */
  reuse(
    changeSet: ChangeSet,
    changedPaths: readonly (readonly string[])[],
    hints: KeyHints,
  ): ResolvedData | undefined {
    const memo = this.memos.get(changeSet);
    if (!memo) return undefined;
    memo.above ??= ancestorsOf(memo.questions.values());
    for (const path of changedPaths) {
      for (let end = 0; end <= path.length; end++) {
        const asked = memo.questions.get(pathKey(path.slice(0, end)));
        if (asked && !sameAnswer(hints.childKeys(asked.path), asked.answer)) return undefined;
      }
      if (memo.above.has(pathKey(path))) {
        for (const asked of memo.questions.values()) {
          const below =
            asked.path.length > path.length && path.every((key, index) => asked.path[index] === key);
          if (below && !sameAnswer(hints.childKeys(asked.path), asked.answer)) return undefined;
        }
      }
    }
    return memo.result;
  }

  private stillValid(memo: Memo, hints: KeyHints): boolean {
    for (const { path, answer } of memo.questions.values()) {
      if (!sameAnswer(hints.childKeys(path), answer)) return false;
    }
    return true;
  }
}
