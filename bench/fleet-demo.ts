// Records the docs/fleet.md run: a real etcd, three instances (one stricter), the real CLI.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EtcdGateway } from '../src/sources/etcd/gateway.js';
import { killAll, ROOT, startTs } from '../test/examples/child.js';
import { startEtcd } from '../test/helpers/etcd-server.js';

const server = await startEtcd();
const admin = new EtcdGateway({ hosts: [server.endpoint] });
await admin.put('config/orders/limits/max', '10');
await admin.put('config/orders/db/password', 'correct-horse-battery');
const env = { ETCDCTL_ENDPOINTS: server.endpoint };
const kids = ['web-1', 'web-2', 'web-3'].map((name) =>
  startTs(
    join(ROOT, 'test/fleet/instance.ts'),
    ['etcd', 'orders', name, '10', name === 'web-3' ? 'strict' : 'normal'],
    { env },
  ),
);
await Promise.all(kids.map((kid) => kid.waitFor(/ready/, { timeoutMs: 300_000 })));
const run = (args: string[]) => {
  const shown = args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ');
  const out = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  console.log(`$ livecfg ${shown}\n${out.stdout}${out.stderr}(exit ${out.status})\n`);
  return out.stdout;
};
const src = ['--store', 'etcd', '--etcd', 'config/orders/', '--schema', 'test/fleet/schema.ts#Schema'];
run(['put', 'config/orders/limits/max', '50', ...src, '--dry-run']);
const put = run(['put', 'config/orders/limits/max', '50', ...src]);
const rev = /at revision (\d+)/.exec(put)?.[1] ?? '0';
run(['fleet', '--store', 'etcd', '--service', 'orders', '--wait-revision', rev, '--timeout', '30s']);
const weak = run(['put', 'config/orders/db/password', 'short-pw', ...src]);
const rev2 = /at revision (\d+)/.exec(weak)?.[1] ?? '0';
run(['fleet', '--store', 'etcd', '--service', 'orders', '--wait-revision', rev2, '--timeout', '30s']);
run(['put', 'config/orders/limits/max', '0', ...src]);
await killAll();
admin.close();
await server.close();
