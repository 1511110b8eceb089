import type { Explanation, WatchOptions } from '../../index.js';

/**
 * What the provider reads from a config: only public `Config` members, so a `Config` of any schema
 * (from `loadConfig`) is one, and anything shaped like it (a wrapper) works too. As a `Config`'s
 * redaction service does, `redact` and `redactText` must answer the same within one `version`: the
 * provider keeps their answers for a version.
 */
export interface FlagConfig {
  /** The published snapshot's version (flag metadata and change events carry it). */
  readonly version: number;
  /** The value of a flag (`undefined` when absent). */
  get(path: readonly (string | number)[]): unknown;
  /** Where a flag's value came from: its `source` and `description` become flag metadata. */
  explain(path: readonly (string | number)[]): Explanation;
  /** Returns `value` itself when nothing in it is secret: the provider's test for "holds a secret". */
  redact(value: unknown, path: readonly (string | number)[]): unknown;
  /** Masks secrets in the metadata's texts (a source name may hold a URL with a password). */
  redactText(text: string): string;
  /** The subtree under the prefix, on each change (the provider diffs it into `flagsChanged`). */
  watch(
    path: readonly (string | number)[],
    options?: WatchOptions,
  ): { subscribe(next: (value: unknown) => void): { unsubscribe(): void } };
}
