/** The `consul()` source: Consul KV (a prefix of keys or one key document), watched with blocking queries. */
export { type ConsulOptions, type ConsulSource, consul } from './consul.js';
