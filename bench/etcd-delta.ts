/**
 * One-key etcd put under a large prefix → the source's ChangeSet (source level, no loader): the etcd
 * source patches its tree (issue 14, item 4) instead of rebuilding it from every cached key.
 * Run: `npx tsx bench/etcd-delta.ts [keys=50000] [rounds=30] [srcDir=../src]` (srcDir lets the same
 * script time another checkout).
 */
import { EtcdGateway } from '../src/sources/etcd/gateway.js';
import { startEtcd } from '../test/helpers/etcd-server.js';

const keys = Number(process.argv[2] ?? 50_000);
const rounds = Number(process.argv[3] ?? 30);
const srcDir = process.argv[4] ?? new URL('../src', import.meta.url).pathname;

const { etcd } = (await import(`${srcDir}/etcd.ts`)) as typeof import('../src/etcd.js');
const server = await startEtcd();
const admin = new EtcdGateway({ hosts: [server.endpoint] });
try {
  for (let start = 0; start < keys; start += 1000) {
    const batch = [];
    for (let index = start; index < Math.min(keys, start + 1000); index++) {
      batch.push(admin.put(`/bench/tenant${index % 100}/flag${index}`, String(index)));
    }
    await Promise.all(batch);
  }
  const source = etcd({ prefix: '/bench/', hosts: server.endpoint });
  await source.read();
  let resolveNext: (() => void) | undefined;
  const subscription = source.watch().subscribe(() => resolveNext?.());
  await new Promise((resolve) => setTimeout(resolve, 500));
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const emitted = new Promise<void>((resolve) => {
      resolveNext = resolve;
    });
    const started = performance.now();
    await admin.put('/bench/tenant7/flag7', String(-round - 1));
    await emitted;
    times.push(performance.now() - started);
  }
  subscription.unsubscribe();
  await source.close();
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number).toFixed(1);
  console.log(JSON.stringify({ keys, rounds, p50ms: Number(at(0.5)), p90ms: Number(at(0.9)), src: srcDir }));
} finally {
  admin.close();
  await server.close();
}
