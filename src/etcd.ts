/**
 * The `livecfg/etcd` entry point. A separate subpath so that only users of etcd load its client:
 * `import { etcd } from 'livecfg/etcd'`.
 */
export * from './sources/etcd/index.js';
