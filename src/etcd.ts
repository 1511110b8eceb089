/**
 * The `livecfg/etcd` entry point. A separate subpath because `etcd3` (gRPC) is an optional peer
 * dependency: `import { etcd } from 'livecfg/etcd'` only when you use etcd.
 */
export {
  type EtcdAuth,
  type EtcdCommonOptions,
  type EtcdKeyOptions,
  type EtcdOptions,
  type EtcdPrefixOptions,
  type EtcdSource,
  etcd,
} from './sources/etcd.js';
