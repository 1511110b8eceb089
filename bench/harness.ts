/** A tiny timing harness: median time per operation over several rounds, after a warm-up. */

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Operations per round (default 10,000). */
  iterations?: number;
  /** Rounds; the median round is reported (default 7). */
  rounds?: number;
}

/** Median nanoseconds per call of a synchronous function. */
export function measure(fn: () => unknown, options: MeasureOptions = {}): number {
  const iterations = options.iterations ?? 10_000;
  const rounds = options.rounds ?? 7;
  for (let index = 0; index < iterations; index++) fn();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index++) fn();
    times.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return median(times);
}

/** Median nanoseconds per call of an async function, run sequentially. */
export async function measureAsync(
  fn: () => Promise<unknown>,
  options: MeasureOptions = {},
): Promise<number> {
  const iterations = options.iterations ?? 20;
  const rounds = options.rounds ?? 5;
  for (let index = 0; index < Math.min(iterations, 3); index++) await fn();
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index++) await fn();
    times.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return median(times);
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Formats nanoseconds for a table. */
export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

/** Whether this module is the script node was started with. */
export function isMain(url: string): boolean {
  return (
    process.argv[1] !== undefined && url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '')
  );
}

/**
 * Median ns per call of two async functions measured in alternating rounds (A, B, A, B, …), so that
 * GC pauses, JIT warm-up and machine noise fall on both sides alike.
 */
export async function compareAsync(
  a: () => Promise<unknown> | unknown,
  b: () => Promise<unknown> | unknown,
  options: MeasureOptions = {},
): Promise<[number, number]> {
  const iterations = options.iterations ?? 20;
  const rounds = options.rounds ?? 9;
  const timesA: number[] = [];
  const timesB: number[] = [];
  const round = async (fn: () => Promise<unknown> | unknown, into: number[] | undefined): Promise<void> => {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index++) await fn();
    into?.push(Number(process.hrtime.bigint() - start) / iterations);
  };
  await round(a, undefined);
  await round(b, undefined);
  for (let index = 0; index < rounds; index++) {
    await round(a, timesA);
    await round(b, timesB);
  }
  return [median(timesA), median(timesB)];
}

/** Latency percentiles of one measurement, in milliseconds (rounded to 0.01 ms). */
export interface LatencyResult {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Summarises latency samples (ms) as p50, p99 and max. */
export function summarizeLatency(latencies: readonly number[]): LatencyResult {
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  return {
    samples: latencies.length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(Math.max(...latencies)),
  };
}
