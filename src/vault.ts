/**
 * The `livecfg/vault` entry point: HashiCorp Vault KV v2 as a source (`vault()`) and as a resolver of
 * `vault:<mount>/<path>#<field>` references (`vaultRef()`). Plain `fetch`, no client dependency.
 */
export * from './sources/vault/index.js';
