/** Vault path checks shared by the source and the resolver. */
import { ConfigError } from '../../reader/errors.js';

/** Trims slashes; rejects empty paths and `.`/`..` segments (which would escape the mount). */
export function normalisePath(raw: string, what: string): string {
  const path = String(raw ?? '').replace(/^\/+|\/+$/g, '');
  if (
    path === '' ||
    path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw new ConfigError('INVALID_ARGUMENT', `${what} ${JSON.stringify(raw)} is not a Vault path`);
  }
  return path;
}

/** Encodes each segment of a path for a URL (keeps the slashes). */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
