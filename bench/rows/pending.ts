/**
 * Goal rows of issue 21 whose benchmark another change registers: until its module is registered in
 * `bench/rows/index.ts`, the row says which script will measure it, so that the table lists every goal.
 */
import type { BenchRow } from './types.js';

function pending(id: string, operation: string, goal: string, script: string): BenchRow {
  return {
    id,
    operation,
    peer: '—',
    goal,
    async run() {
      return { figure: 'not measured in this run', why: `measured by ${script} once it is registered` };
    },
  };
}

export const rows: BenchRow[] = [
  pending(
    'inspector-first-get',
    'inspector, first `GET /api/config` after a change, 10,000 leaves (very first; `?origins=1`)',
    '≤ 8 ms; very first ≤ 40 ms; `?origins=1` ≤ 25 ms',
    'bench/redaction.bench.ts',
  ),
];
