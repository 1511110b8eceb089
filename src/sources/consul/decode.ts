/**
 * Turns Consul KV answers into ChangeSets, on the source kit: one key per path (prefix mode, a patched
 * {@link KeyTree} whose deltas come from comparing each key's ModifyIndex with the previous answer)
 * or one document (key mode).
 */
import type { ChangeSet, Parser } from '../../reader/contract.js';
import type { Environ, Format } from '../../reader/formats/index.js';
import { decodeKeyDocument } from '../../source-kit/key-document.js';
import { KeyTree } from '../../source-kit/key-tree.js';
import { describeKeyTarget, type KeyTarget } from '../../source-kit/target.js';
import type { KvEntry } from './client.js';

/** What a Consul source reads: every key under a prefix, or one key holding a document. */
export type ConsulTarget =
  | { mode: 'prefix'; prefix: string }
  | {
      mode: 'key';
      key: string;
      format: Format;
      parser?: Parser;
      optional: boolean;
      interpolate: boolean;
      environ: Environ;
    };

/** `prefix "config/app/"` or `key "config/app.yaml"`, for messages. */
export function describeTarget(target: ConsulTarget): string {
  return describeKeyTarget(target as KeyTarget);
}

/**
 * Decodes the answers of one Consul source. Prefix mode: an empty or missing prefix is an empty
 * layer; each answer patches the tree of the previous one (only keys whose ModifyIndex or text moved)
 * and, from the second answer on, the ChangeSet carries the delta. Key mode: a missing key is
 * `NOT_FOUND` unless optional; a bad document is `PARSE`. The checksum covers content only, so a
 * write that changes no value (a new index, a folder key) is not a change.
 */
export class ConsulDecoder {
  private readonly tree: KeyTree | undefined;

  constructor(
    private readonly name: string,
    private readonly target: ConsulTarget,
  ) {
    if (target.mode === 'prefix') {
      this.tree = new KeyTree({
        source: name,
        prefix: target.prefix,
        describe: (key) => `Consul key ${key}`,
      });
    }
  }

  /**
   * The ChangeSet of an answer; async only when a custom parser is. Throws `CONFLICT`, `NOT_FOUND`,
   * `PARSE`. `withDelta`: a watch emission (the loader has the previous one); a read never carries one.
   */
  decode(entries: readonly KvEntry[], withDelta: boolean): ChangeSet | Promise<ChangeSet> {
    const { name, target } = this;
    const timestamp = new Date();
    if (this.tree) {
      const result = this.tree.replaceAll(
        entries.map((entry) => ({
          key: entry.Key,
          value: entry.Value,
          origin: { consulKey: entry.Key, modifyIndex: entry.ModifyIndex },
          revision: entry.ModifyIndex,
        })),
      );
      const { data, origins, checksum } = result.state;
      const delta = withDelta ? result.delta : undefined;
      return { data, origins, checksum, source: name, timestamp, ...(delta ? { delta } : {}) };
    }
    if (target.mode !== 'key') throw new Error('unreachable');
    const entry = entries.find((candidate) => candidate.Key === target.key);
    const decoded = decodeKeyDocument(
      {
        source: name,
        key: target.key,
        text: entry === undefined ? undefined : entry.Value,
        origin: entry ? { consulKey: entry.Key, modifyIndex: entry.ModifyIndex } : {},
        what: 'Consul key',
      },
      {
        format: target.format,
        ...(target.parser ? { parser: target.parser } : {}),
        optional: target.optional,
        interpolate: target.interpolate,
        environ: target.environ,
      },
    );
    const finish = (document: Awaited<typeof decoded>): ChangeSet => ({
      ...document,
      source: name,
      timestamp,
    });
    return decoded instanceof Promise ? decoded.then(finish) : finish(decoded);
  }
}
