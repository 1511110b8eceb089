/** The `vault()` source and `vaultRef()` resolver: HashiCorp Vault KV v2 over plain HTTP. */
export type { VaultConnectionOptions } from './connection.js';
export { type VaultRefOptions, vaultRef } from './ref.js';
export { type VaultOptions, type VaultSource, vault } from './source.js';
