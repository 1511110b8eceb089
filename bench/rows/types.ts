/** What a benchmark row is: one goal of bench/README.md, measured by a small registered module. */

/** One measured figure, as the table shows it. */
export interface RowResult {
  /** livecfg's figure, e.g. `4.2 ms (median of 30)`. */
  figure: string;
  /** The peer's figure measured beside it, when there is a peer. */
  peer?: string;
  /** Whether the goal is met; `undefined` when the row only reports. */
  met?: boolean;
  /** Why the goal is (not) met, and what would meet it. */
  why?: string;
  /** The raw numbers (for baselines and for the JSON output). */
  numbers?: Record<string, number>;
}

/** One goal row. */
export interface BenchRow {
  /** Stable id: `npm run bench -- --only <id>` runs this row alone. */
  id: string;
  /** The operation measured, as the table names it. */
  operation: string;
  /** The peer measured beside it (`—` when none). */
  peer: string;
  /** The goal, as issue 21 states it. */
  goal: string;
  /** Runs the measurement. Rows run one after another in one process (`node --expose-gc`). */
  run(): Promise<RowResult>;
}

/** A registered module: one file of bench/ that exports its rows. */
export interface RowModule {
  rows: readonly BenchRow[];
}

/** Milliseconds for a table: 3 significant decimals below 1 ms. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value.toFixed(Math.abs(value) < 1 ? 3 : value < 100 ? 2 : 0)} ms`;
}

/** Waits until the event loop has run every callback queued so far (the next check phase). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
