/** The `etcd()` source: etcd v3 keys (a prefix or one key document), read and watched. */
export {
  type EtcdAuth,
  type EtcdCommonOptions,
  type EtcdKeyOptions,
  type EtcdOptions,
  type EtcdPrefixOptions,
  type EtcdSource,
  etcd,
} from './etcd.js';
