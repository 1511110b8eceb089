/** Which store the fleet uses, and where its keys live (`livecfg/fleet/<service>/<instance>`). */
import { ConsulFleetStore, type ConsulStoreOptions } from './consul-store.js';
import { EtcdFleetStore, type EtcdStoreOptions } from './etcd-store.js';
import type { FleetStore } from './store.js';

/** The store options shared by the reporter, the `fleet` view, the CLI and the inspector. */
export interface FleetStoreOptions {
  store: 'etcd' | 'consul';
  /** Where the instance keys live (default `livecfg/fleet`). */
  prefix?: string;
  /** Consul address, token, TLS (defaults from `CONSUL_HTTP_ADDR`, `CONSUL_HTTP_TOKEN`, `CONSUL_CACERT`…). */
  consul?: ConsulStoreOptions;
  /** etcd endpoints, TLS, auth (defaults from `ETCDCTL_ENDPOINTS`, `ETCDCTL_CACERT`…). */
  etcd?: EtcdStoreOptions;
}

/** The default prefix of instance keys. */
export const DEFAULT_FLEET_PREFIX = 'livecfg/fleet';

/** Opens the store the options name. */
export function openFleetStore(options: FleetStoreOptions): FleetStore {
  if (options.store === 'consul') return new ConsulFleetStore(options.consul ?? {});
  if (options.store === 'etcd') return new EtcdFleetStore(options.etcd ?? {});
  throw new TypeError(`fleet: store must be "etcd" or "consul", got ${JSON.stringify(options.store)}`);
}

/** `<prefix>/<service>/`: where a service's instance keys live. */
export function fleetPrefix(prefix: string | undefined, service: string): string {
  if (service === '' || service.includes('/')) {
    throw new TypeError(
      `fleet: service must be a non-empty name without "/", got ${JSON.stringify(service)}`,
    );
  }
  return `${(prefix ?? DEFAULT_FLEET_PREFIX).replace(/\/+$/, '')}/${service}/`;
}

/** `<prefix>/<service>/<instance>`. */
export function fleetKey(prefix: string | undefined, service: string, instance: string): string {
  if (instance === '' || instance.includes('/')) {
    throw new TypeError(
      `fleet: instance must be a non-empty ID without "/", got ${JSON.stringify(instance)}`,
    );
  }
  return `${fleetPrefix(prefix, service)}${instance}`;
}
