import { readFileSync } from 'node:fs';

/**
 * Above this many variables, the environment is read in one piece (see {@link processEnvironment}).
 * Reading `process.env` costs O(n) per variable (each lookup scans the C environment, and enumerating
 * its keys is slower still): 100,000 variables take ~50 s, one process report ~0.6 s.
 */
export const LARGE_ENVIRONMENT = 5_000;

/** The number of variables the process started with (Linux; `undefined` where it cannot be told). */
function initialCount(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const raw = readFileSync('/proc/self/environ');
    let count = 0;
    for (const byte of raw) if (byte === 0) count++;
    return count;
  } catch {
    return undefined;
  }
}

/**
 * The current environment as a plain object. A usual environment is read through `process.env`; a
 * large one (more than {@link LARGE_ENVIRONMENT} variables at start, as `/proc/self/environ` tells)
 * is read from one diagnostic report, which copies the live C environment (changes made through
 * `process.env` included) in O(n) instead of O(n²).
 */
export function processEnvironment(): Record<string, string | undefined> {
  const count = initialCount();
  if (count !== undefined && count > LARGE_ENVIRONMENT && process.report) {
    const report = process.report.getReport() as { environmentVariables?: Record<string, string> };
    if (report.environmentVariables) return report.environmentVariables;
  }
  return process.env;
}
