import type { Explanation, WatchOptions } from '../../index.js';

/**
 * What the provider reads from a config: only public `Config` members, so a `Config` of any schema
 * (from `loadConfig`) is one, and anything shaped like it (a wrapper) works too.
 */
export interface FlagConfig {
  /** The published snapshot's version (flag metadata and change events carry it). */
  readonly version: number;
  get(path: readonly (string | number)[]): unknown;
  explain(path: readonly (string | number)[]): Explanation;
  /** Returns `value` itself when nothing in it is secret: the provider's test for "holds a secret". */
  redact(value: unknown, path: readonly (string | number)[]): unknown;
  redactText(text: string): string;
  watch(
    path: readonly (string | number)[],
    options?: WatchOptions,
  ): { subscribe(next: (value: unknown) => void): { unsubscribe(): void } };
}
