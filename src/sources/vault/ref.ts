/**
 * `vaultRef()`: the resolver of `vault:<mount>/<path>#<field>` references in any source. References
 * to the same secret that are resolved together share one read.
 */
import type { ResolveContext, Resolver } from '../../reader/contract.js';
import { ConfigError } from '../../reader/errors.js';
import { formatPath } from '../../reader/path.js';
import { type KvSecret, VaultClient } from './client.js';
import { resolveConnection, type VaultConnectionOptions } from './connection.js';
import { normalisePath } from './paths.js';

/** Options of {@link vaultRef}. */
export interface VaultRefOptions extends VaultConnectionOptions {
  /**
   * Mounts whose path holds a `/` (e.g. `team/kv`). By default the first segment of a reference is
   * the mount: `vault:secret/app/db#password` reads `app/db` from the mount `secret`.
   */
  mounts?: string[];
}

/** A parsed reference. */
export interface VaultReference {
  mount: string;
  path: string;
  field: string;
}

/** The resolver, with `close()` to stop an AppRole token's renewal. */
export interface VaultRefResolver extends Resolver {
  close(): void;
}

const PREFIX = 'vault:';

/**
 * Parses `vault:<mount>/<path>#<field>`. The field is everything after the first `#`. Throws
 * `INVALID_ARGUMENT` naming what is wrong.
 */
export function parseVaultReference(value: string, mounts: readonly string[] = []): VaultReference {
  const hash = value.indexOf('#');
  if (!value.startsWith(PREFIX) || hash === -1) {
    throw new ConfigError('INVALID_ARGUMENT', 'a Vault reference reads vault:<mount>/<path>#<field>');
  }
  const location = value.slice(PREFIX.length, hash).replace(/^\/+|\/+$/g, '');
  const field = value.slice(hash + 1);
  if (field === '') throw new ConfigError('INVALID_ARGUMENT', 'the Vault reference names no #field');
  const mount =
    [...mounts]
      .map((entry) => entry.replace(/^\/+|\/+$/g, ''))
      .sort((a, b) => b.length - a.length)
      .find((entry) => location.startsWith(`${entry}/`)) ?? location.split('/')[0];
  const path = location.slice((mount ?? '').length + 1);
  return {
    mount: normalisePath(mount ?? '', 'the Vault reference mount'),
    path: normalisePath(path, 'the Vault reference path'),
    field,
  };
}

/**
 * A resolver for `vault:<mount>/<path>#<field>` string values: the field of the current version of
 * a KV v2 secret. Connection options and defaults as for `vault()` (`VAULT_ADDR`, `VAULT_TOKEN`,
 * `VAULT_NAMESPACE`, AppRole). Concurrent references to one secret share one request.
 *
 * @example
 * await loadConfig({ sources: [file('app.yaml')], resolvers: [vaultRef()] });
 * // app.yaml:  db: { password: "vault:secret/app/db#password" }
 */
export function vaultRef(options: VaultRefOptions = {}): VaultRefResolver {
  const client = new VaultClient(resolveConnection(options, 'vaultRef()'), 'vaultRef');
  const mounts = options.mounts ?? [];
  const reads = new Map<string, Promise<KvSecret>>();

  const read = (reference: VaultReference, signal?: AbortSignal): Promise<KvSecret> => {
    const key = `${reference.mount}\0${reference.path}`;
    let pending = reads.get(key);
    if (pending === undefined) {
      pending = client.readSecret(reference.mount, reference.path, { signal });
      reads.set(key, pending);
      // Keep the answer for the references resolved in the same turn of the event loop, then forget it.
      const forget = () => setImmediate(() => reads.delete(key));
      pending.then(forget, forget);
    }
    return pending;
  };

  return {
    name: 'vault',
    matches: (value) => value.startsWith(PREFIX) && value.includes('#'),
    async resolve(value: string, context: ResolveContext): Promise<unknown> {
      const where = `${context.source}: ${formatPath(context.path)}`;
      const details = { source: context.source, path: formatPath(context.path) };
      let reference: VaultReference;
      try {
        reference = parseVaultReference(value, mounts);
      } catch (error) {
        throw new ConfigError('SECRET', `${where}: ${(error as Error).message}`, {
          ...details,
          cause: error,
        });
      }
      const secretPath = `${reference.mount}/${reference.path}`;
      let secret: KvSecret;
      try {
        secret = await read(reference, context.signal);
      } catch (error) {
        const inner = error instanceof ConfigError ? error : undefined;
        const reason = (inner?.message ?? String(error)).replace(/^vaultRef: /, '');
        throw new ConfigError(
          inner?.code ?? 'SECRET',
          `${where}: resolving vault:${secretPath}#${reference.field}: ${reason}`,
          {
            ...details,
            cause: error,
          },
        );
      }
      if (secret.state !== 'live') {
        const state =
          secret.state === 'absent'
            ? 'does not exist'
            : `current version ${secret.version} is ${secret.state}`;
        throw new ConfigError('NOT_FOUND', `${where}: the Vault secret ${secretPath} ${state}`, details);
      }
      if (!Object.hasOwn(secret.data, reference.field)) {
        const fields = Object.keys(secret.data).sort().join(', ') || 'none';
        throw new ConfigError(
          'NOT_FOUND',
          `${where}: the Vault secret ${secretPath} (version ${secret.version}) has no field ` +
            `${JSON.stringify(reference.field)} (fields: ${fields})`,
          details,
        );
      }
      return secret.data[reference.field];
    },
    close: () => client.close(),
  };
}
