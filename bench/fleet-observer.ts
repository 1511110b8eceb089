/**
 * The fleet-storm row's observer, run as its own process so that the event loop of the 100 instances
 * under test does not delay what it sees: watches PREFIX on ENDPOINT and prints one line per PUT,
 * `<ms since start> <key>`, until stdin closes. Usage: fleet-observer.ts ENDPOINT PREFIX
 */
import { EtcdGateway } from '../src/sources/etcd/gateway.js';

const [endpoint, prefix] = process.argv.slice(2);
if (!endpoint || !prefix) throw new Error('usage: fleet-observer.ts ENDPOINT PREFIX');
const gateway = new EtcdGateway({ hosts: [endpoint] });
const watch = gateway.watch(
  { key: prefix, prefix: true },
  {
    onCreated: () => process.stdout.write('watching\n'),
    onEvents: (events) => {
      const at = performance.now().toFixed(1);
      for (const event of events) if (event.type === 'PUT') process.stdout.write(`${at} ${event.key}\n`);
    },
  },
);
process.stdin.resume();
process.stdin.once('end', () => {
  watch.close();
  gateway.close();
});
