/** The inputs and outputs of a {@link KeyTree}: one key as the store has it, the tree's state and options. */
import type { ConfigData } from '../reader/contract.js';
import type { Origin, OriginMap } from '../reader/provenance.js';

/** One key as the store has it now: its text, or `null` when it was deleted (or is a folder key). */
export interface KeyChange {
  key: string;
  value: string | null;
  /** Its origin; may be omitted when the tree has an `origin` factory (which then wins). */
  origin?: Origin;
  /** The store's version of the key (Consul ModifyIndex, etcd mod_revision): compared before the text. */
  revision?: string | number;
}

/** The tree of a {@link KeyTree} at one moment. */
export interface KeyTreeState {
  data: ConfigData;
  origins: OriginMap;
  /** Content checksum of the data (paths and parsed values; not the text, not revisions). */
  checksum: string;
}

/** JSON-parses a stored value when it is valid JSON, else returns the text unchanged. */
export function parseScalar(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return text;
  const first = trimmed.charCodeAt(0);
  // Only text that can be JSON is tried (digits, -, ", [, {, t, f, n): most strings skip the throw.
  if (!(first === 45 || (first >= 48 && first <= 57) || '"[{tfn'.includes(trimmed[0] as string))) return text;
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}

/** Options of a {@link KeyTree}. */
export interface KeyTreeOptions {
  source: string;
  prefix: string;
  separator?: string;
  /** How a store key is named in errors ("Consul key app/db"). */
  describe: (key: string) => string;
  /**
   * Makes a leaf's origin from its key and revision when asked (`explain`, deltas) instead of keeping
   * each change's origin object: a few bytes per key instead of an object and two strings.
   */
  origin?: (key: string, revision: string | number | undefined) => Origin;
}

/** A full rebuild fed in batches (the pages of a range read): nothing is published until `finish()`. */
export interface KeyTreeRebuild {
  /** Adds keys (in key order for a deterministic layout); a conflict is thrown by `finish()`. */
  add(entries: Iterable<KeyChange>): void;
  /** Swaps the new tree in and returns it; throws the first `CONFLICT` (the previous tree stays). */
  finish(): KeyTreeState;
}
