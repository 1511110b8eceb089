/** The command line of a single-member test etcd (plain or TLS), shared by the etcd test helpers. */
import { join } from 'node:path';

/** Where one test etcd member lives and listens. */
export interface EtcdMember {
  /** Member and cluster-token name (unique per run). */
  name: string;
  /** The folder whose `data` subfolder holds the member's data. */
  dir: string;
  /** The client URL it listens on and advertises (`http://` or `https://`). */
  endpoint: string;
  /** The peer URL. */
  peerUrl: string;
}

/** etcd's arguments for a fresh one-member cluster, `extra` flags (e.g. TLS) before the logging flags. */
export function etcdArgs(member: EtcdMember, extra: readonly string[] = []): string[] {
  const { name, endpoint, peerUrl } = member;
  return [
    `--name=${name}`,
    `--data-dir=${join(member.dir, 'data')}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=${name}=${peerUrl}`,
    `--initial-cluster-token=${name}`,
    '--initial-cluster-state=new',
    ...extra,
    '--logger=zap',
    '--log-level=error',
  ];
}
