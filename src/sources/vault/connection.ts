/** Where and how to reach Vault: address, token, namespace, AppRole, from options or `VAULT_*` variables. */
import { ConfigError } from '../../reader/errors.js';

/** Options shared by the {@link vault} source and the {@link vaultRef} resolver. */
export interface VaultConnectionOptions {
  /** Vault's address, e.g. `https://vault.internal:8200` (default `VAULT_ADDR`, else `https://127.0.0.1:8200`). */
  address?: string;
  /** A token (default `VAULT_TOKEN`). Ignored when `auth.appRole` is given. */
  token?: string;
  /** An Enterprise namespace, sent as `X-Vault-Namespace` (default `VAULT_NAMESPACE`). */
  namespace?: string;
  /** Log in with AppRole instead of a fixed token; the token is renewed before it expires. */
  auth?: { appRole: { roleId: string; secretId: string; mount?: string } };
  /** Timeout of one HTTP request in ms (default 10,000). */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes (default 4 MiB). */
  maxBodyBytes?: number;
  /** The environment for the `VAULT_*` defaults (default `process.env`). */
  environ?: () => Record<string, string | undefined>;
}

/** The resolved connection settings. */
export interface VaultConnection {
  /** Base URL without a trailing slash. */
  address: string;
  token: string | undefined;
  namespace: string | undefined;
  appRole: { roleId: string; secretId: string; mount: string } | undefined;
  timeoutMs: number;
  maxBodyBytes: number;
}

/** Resolves options against `VAULT_ADDR`, `VAULT_TOKEN` and `VAULT_NAMESPACE`. */
export function resolveConnection(options: VaultConnectionOptions, caller: string): VaultConnection {
  const environ = (options.environ ?? (() => process.env))();
  const raw = options.address ?? environ.VAULT_ADDR ?? 'https://127.0.0.1:8200';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('INVALID_ARGUMENT', `${caller}: address ${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('INVALID_ARGUMENT', `${caller}: address ${JSON.stringify(raw)} must be http(s)://`);
  }
  const appRole = options.auth?.appRole;
  if (appRole !== undefined && (!appRole.roleId || !appRole.secretId)) {
    throw new ConfigError('INVALID_ARGUMENT', `${caller}: auth.appRole needs a roleId and a secretId`);
  }
  const namespace = (options.namespace ?? environ.VAULT_NAMESPACE ?? '').replace(/^\/+|\/+$/g, '');
  const token = options.token ?? environ.VAULT_TOKEN;
  return {
    address: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    token: token === undefined || token.trim() === '' ? undefined : token.trim(),
    namespace: namespace === '' ? undefined : namespace,
    appRole:
      appRole === undefined
        ? undefined
        : { roleId: appRole.roleId, secretId: appRole.secretId, mount: appRole.mount ?? 'approle' },
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
  };
}
