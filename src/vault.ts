/**
 * The `livecfg/vault` entry point: HashiCorp Vault KV v2 as a source (`vault()`) and as a resolver of
 * `vault:<mount>/<path>#<field>` references (`vaultRef()`). Plain `fetch`, no client dependency.
 */
export type { VaultConnectionOptions } from './sources/vault/connection.js';
export { type VaultRefOptions, vaultRef } from './sources/vault/ref.js';
export { type VaultOptions, type VaultSource, vault } from './sources/vault/source.js';
