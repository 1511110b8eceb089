/** What a key/value source reads: every key below a prefix, or one key holding a document. */
import { ConfigError } from '../reader/errors.js';

/** A prefix (ends with `/`, or `''` for the whole store) or a single key. */
export type KeyTarget = { mode: 'prefix'; prefix: string } | { mode: 'key'; key: string };

/** How a store spells keys: Consul keys have no leading `/`; etcd keys keep it as written. */
export interface KeyTargetRules {
  /** The source kind for messages: `consul`, `etcd`. */
  kind: string;
  /** Strip leading slashes (Consul) or keep them (etcd). */
  leadingSlash: 'strip' | 'keep';
}

/**
 * Parses `{ prefix }` or `{ key }` (exactly one): a prefix gets a trailing `/` so that `config/app`
 * never matches `config/application`; a key must name a key, not a folder.
 *
 * @example
 * parseKeyTarget({ prefix: '/config/app' }, { kind: 'etcd', leadingSlash: 'keep' }); // { mode: 'prefix', prefix: '/config/app/' }
 */
export function parseKeyTarget(options: { prefix?: string; key?: string }, rules: KeyTargetRules): KeyTarget {
  const { prefix, key } = options;
  if ((prefix === undefined) === (key === undefined)) {
    throw new ConfigError('INVALID_ARGUMENT', `${rules.kind}(): give exactly one of { prefix } or { key }`);
  }
  const normalize = (text: string) => (rules.leadingSlash === 'strip' ? text.replace(/^\/+/, '') : text);
  if (prefix !== undefined) {
    const trimmed = normalize(prefix);
    return { mode: 'prefix', prefix: trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/` };
  }
  const name = normalize(key ?? '');
  if (name === '' || name.endsWith('/')) {
    throw new ConfigError(
      'INVALID_ARGUMENT',
      `${rules.kind}(): key ${JSON.stringify(key)} is not a key name`,
    );
  }
  return { mode: 'key', key: name };
}

/** `prefix "config/app/"` or `key "config/app.yaml"`, for messages. */
export function describeKeyTarget(target: KeyTarget): string {
  return target.mode === 'prefix' ? `prefix "${target.prefix}"` : `key "${target.key}"`;
}
