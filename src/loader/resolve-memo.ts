import type { ChangeSet, KeyHints, ResolvedData } from '../reader/contract.js';
import { pathKey } from '../reader/provenance.js';

interface Memo {
  /** Every key-hint question the last resolve asked, with its answer. */
  questions: Map<string, { path: readonly string[]; answer: readonly string[] }>;
  result: ResolvedData;
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
    this.memos.set(changeSet, { questions, result });
    return result;
  }

  private stillValid(memo: Memo, hints: KeyHints): boolean {
    for (const { path, answer } of memo.questions.values()) {
      if (!sameAnswer(hints.childKeys(path), answer)) return false;
    }
    return true;
  }
}
