/** The JSON gateway's encoding: base64 keys and values, int64s as decimal strings, range ends. */

/** An etcd int64 (revision, lease id, version) as the gateway's decimal string, a number or a bigint. */
export type Int64 = string | number | bigint;

/** A key as etcd stores it (values decoded from base64 as UTF-8; int64s as decimal strings). */
export interface KeyValue {
  key: string;
  value: string;
  createRevision: string;
  modRevision: string;
  version: string;
  /** The lease the key is attached to (`'0'` for none). */
  lease: string;
}

/** A key as the gateway sends it (omitted fields are zero/empty). */
export interface RawKeyValue {
  key: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
  version?: string;
  lease?: string;
}

/** A UTF-8 key as the gateway's base64. */
export function encodeKey(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64');
}

/** Gateway base64 as UTF-8 text (`''` when absent). */
export function decodeText(base64: string | undefined): string {
  return base64 === undefined || base64 === '' ? '' : Buffer.from(base64, 'base64').toString('utf8');
}

/** A gateway key-value as a {@link KeyValue}. */
export function toKeyValue(raw: RawKeyValue): KeyValue {
  return {
    key: decodeText(raw.key),
    value: decodeText(raw.value),
    createRevision: raw.create_revision ?? '0',
    modRevision: raw.mod_revision ?? '0',
    version: raw.version ?? '0',
    lease: raw.lease ?? '0',
  };
}

/** The range end covering every key that starts with `prefix` (its last byte below 0xff + 1), base64. */
export function prefixEnd(prefix: string): string {
  const bytes = Buffer.from(prefix, 'utf8');
  for (let i = bytes.length - 1; i >= 0; i--) {
    if ((bytes[i] as number) < 0xff) {
      const end = Buffer.from(bytes.subarray(0, i + 1));
      end[i] = (end[i] as number) + 1;
      return end.toString('base64');
    }
  }
  // An empty prefix (or all 0xff): every key from `key` on.
  return Buffer.from([0]).toString('base64');
}

/** The smallest key after `base64Key` (the key with a zero byte appended), base64: where a page continues. */
export function nextKey(base64Key: string): string {
  const bytes = Buffer.from(base64Key, 'base64');
  return Buffer.concat([bytes, Buffer.from([0])]).toString('base64');
}
