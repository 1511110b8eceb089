/** Turns Consul KV entries into ChangeSets: one key per path (prefix mode) or one document (key mode). */
import { checksumData } from '../reader/checksum.js';
import { ConfigError } from '../reader/errors.js';
import { type Environ, type Format, parseDocument } from '../reader/formats/index.js';
import { treeFromKeys } from '../reader/keyvalue.js';
import type { KvEntry } from './consul-client.js';
import type { ChangeSet } from './source.js';

/** What a Consul source reads: every key under a prefix, or one key holding a document. */
export type ConsulTarget =
  | { mode: 'prefix'; prefix: string }
  | { mode: 'key'; key: string; format: Format; optional: boolean; interpolate: boolean; environ: Environ };

/** `prefix "config/app/"` or `key "config/app.yaml"`, for messages. */
export function describeTarget(target: ConsulTarget): string {
  return target.mode === 'prefix' ? `prefix "${target.prefix}"` : `key "${target.key}"`;
}

/**
 * Builds the ChangeSet of a read. Prefix mode: an empty or missing prefix is an empty layer.
 * Key mode: a missing key is `NOT_FOUND` unless optional; a bad document is `PARSE`.
 * The checksum covers the data only, so a write that changes no value (a new index, a reformatted
 * document, a folder key) is not a change.
 */
export function toChangeSet(name: string, target: ConsulTarget, entries: readonly KvEntry[]): ChangeSet {
  const timestamp = new Date();
  if (target.mode === 'prefix') {
    const { data, origins } = treeFromKeys(
      entries.map((entry) => ({
        key: entry.Key,
        value: entry.Value,
        origin: { consulKey: entry.Key, modifyIndex: entry.ModifyIndex },
      })),
      target.prefix,
    );
    return { data, origins, checksum: checksumData(data), source: name, timestamp };
  }
  const entry = entries.find((candidate) => candidate.Key === target.key);
  if (entry === undefined) {
    if (target.optional) return { data: {}, checksum: checksumData({}), source: name, timestamp };
    throw new ConfigError(
      'NOT_FOUND',
      `${name}: Consul key "${target.key}" not found (pass { optional: true } if it may be absent)`,
      { source: name },
    );
  }
  const { data, origins } = parseDocument(
    entry.Value ?? '',
    target.format,
    {
      source: name,
      originBase: { consulKey: entry.Key, modifyIndex: entry.ModifyIndex },
    },
    { interpolate: target.interpolate, environ: target.environ },
  );
  return { data, origins, checksum: checksumData(data), source: name, timestamp };
}
