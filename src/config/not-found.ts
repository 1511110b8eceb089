import { ConfigError } from '../reader/errors.js';
import { formatPath } from '../reader/path.js';
import { getPath, hasPath } from '../reader/tree.js';

/**
 * The `NOT_FOUND` error of `config.getOrThrow(path)`: the path as {@link formatPath} writes it (so it
 * can be fed back), why it is absent when a step on the way is not a branch, and the names of the
 * sources that were asked. Never a value: a value in the way is named by its kind only.
 *
 * @example
 * // server.port.x: not found (server.port is a number); sources asked: file:config.yaml, env:APP_
 */
export function notFoundError(
  root: unknown,
  keys: readonly string[],
  sources: readonly string[],
): ConfigError {
  const path = formatPath(keys);
  const asked = sources.length === 0 ? 'none' : sources.join(', ');
  return new ConfigError('NOT_FOUND', `${path}: not found${why(root, keys)}; sources asked: ${asked}`, {
    path,
  });
}

/** ` (servers has 2 items)`, ` (server.port is a number)`, or `''` when the last branch lacks the key. */
function why(root: unknown, keys: readonly string[]): string {
  let depth = 0;
  while (depth < keys.length && hasPath(root, keys.slice(0, depth + 1))) depth++;
  // At the root, or at the key itself (present but `undefined`): nothing more to say.
  if (depth === 0 || depth === keys.length) return '';
  const parent = keys.slice(0, depth);
  const node = getPath(root, parent);
  const at = formatPath(parent);
  if (Array.isArray(node)) return ` (${at} has ${node.length} item${node.length === 1 ? '' : 's'})`;
  if (node === null) return ` (${at} is null)`;
  if (typeof node !== 'object') return ` (${at} is a ${typeof node})`;
  return '';
}
