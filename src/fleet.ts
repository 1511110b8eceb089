/** `livecfg/fleet`: the fleet reporter and the fleet view (etcd or Consul). */
export * from './fleet/index.js';
