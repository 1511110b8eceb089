/** Requests and answers of the etcd JSON gateway: ranges, transactions and their JSON bodies. */
import {
  encodeKey,
  type Int64,
  type KeyValue,
  prefixEnd,
  type RawKeyValue,
  toKeyValue,
} from './gateway-codec.js';

/** Which keys a range, delete or watch covers: one key, every key under it, or up to `rangeEnd`. */
export interface KeyRange {
  /** Every key starting with `key`. */
  prefix?: boolean;
  /** Exclusive end key (wins over `prefix`). */
  rangeEnd?: string;
}

/** One range read's answer. */
export interface RangePage {
  kvs: KeyValue[];
  /** More keys remain after the last one (the read hit `limit`). */
  more: boolean;
  /** How many keys the range holds in all. */
  count: number;
  /** The store revision the read reflects. */
  revision: string;
}

/** A comparison of a transaction (the `target` names which field is compared). */
export type Compare = { key: string; result?: 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL' } & (
  | { target: 'MOD'; modRevision: Int64 }
  | { target: 'CREATE'; createRevision: Int64 }
  | { target: 'VERSION'; version: Int64 }
  | { target: 'VALUE'; value: string }
);

/** An operation of a transaction. */
export type TxnOp =
  | { put: { key: string; value: string; lease?: Int64 } }
  | { deleteRange: { key: string } & KeyRange }
  | { range: { key: string } & KeyRange };

/** A transaction's answer; `responses[i]` answers the i-th op of the branch that ran. */
export interface TxnResult {
  succeeded: boolean;
  revision: string;
  responses: Array<{ revision?: string; deleted?: number; kvs?: RangePage['kvs'] }>;
}

export function rangeEndOf(key: string, range: KeyRange): string | undefined {
  if (range.rangeEnd !== undefined) return encodeKey(range.rangeEnd);
  return range.prefix ? prefixEnd(key) : undefined;
}

export function putBody(put: { key: string; value: string; lease?: Int64 }): Record<string, string> {
  return {
    key: encodeKey(put.key),
    value: Buffer.from(put.value, 'utf8').toString('base64'),
    ...(put.lease === undefined ? {} : { lease: String(put.lease) }),
  };
}

export function compareBody(compare: Compare): Record<string, unknown> {
  const base = { key: encodeKey(compare.key), target: compare.target, result: compare.result ?? 'EQUAL' };
  switch (compare.target) {
    case 'MOD':
      return { ...base, mod_revision: String(compare.modRevision) };
    case 'CREATE':
      return { ...base, create_revision: String(compare.createRevision) };
    case 'VERSION':
      return { ...base, version: String(compare.version) };
    case 'VALUE':
      return { ...base, value: Buffer.from(compare.value, 'utf8').toString('base64') };
  }
}

export function opBody(op: TxnOp): Record<string, unknown> {
  if ('put' in op) return { request_put: putBody(op.put) };
  const { key, ...range } = 'deleteRange' in op ? op.deleteRange : op.range;
  const end = rangeEndOf(key, range);
  const target = { key: encodeKey(key), ...(end === undefined ? {} : { range_end: end }) };
  return 'deleteRange' in op ? { request_delete_range: target } : { request_range: target };
}

type RawRange = { header?: { revision?: string }; kvs?: RawKeyValue[]; more?: boolean; count?: string };

/** A range answer as a page (with its last key, base64, to continue from). */
export function parseRange(raw: Buffer): RangePage & { lastKey?: string } {
  const body = JSON.parse(raw.toString('utf8')) as RawRange;
  const list = body.kvs ?? [];
  const kvs = list.map(toKeyValue);
  const last = list.length > 0 ? (list[list.length - 1] as RawKeyValue).key : undefined;
  return {
    kvs,
    more: body.more === true,
    count: Number(body.count ?? kvs.length),
    revision: body.header?.revision ?? '0',
    ...(last === undefined ? {} : { lastKey: last }),
  };
}

/**
 * The revision, `more` and last key of a range answer, found without parsing it (the header comes
 * first, `more` near the end; keys are base64, so `"key":"` cannot occur inside one). `undefined` when
 * the text is not laid out that way: the caller then parses first.
 */
export function peekRange(raw: Buffer): { revision: string; more: boolean; lastKey?: string } | undefined {
  const head = raw.subarray(0, 300).toString('latin1');
  const revision = /"revision":"(\d+)"/.exec(head)?.[1];
  if (revision === undefined) return undefined;
  const tail = raw.subarray(Math.max(0, raw.length - 300)).toString('latin1');
  const more = tail.includes('"more":true');
  if (!more) return { revision, more };
  const at = raw.lastIndexOf('"key":"');
  if (at === -1) return undefined;
  const start = at + 7;
  const stop = raw.indexOf(34, start);
  return stop === -1 ? undefined : { revision, more, lastKey: raw.subarray(start, stop).toString('latin1') };
}
