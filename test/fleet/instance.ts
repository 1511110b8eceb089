/**
 * One instance of the fleet end-to-end tests, as a real process: a config on `config/orders/` in
 * etcd or Consul (from ETCDCTL_ENDPOINTS / CONSUL_HTTP_ADDR), reported with `fleetReporter`.
 * Usage: instance.ts <etcd|consul> <service> <instance> <ttlSeconds> <strict|normal>
 * Prints "ready" once its key is written; SIGTERM closes the config (the key is deleted) and exits.
 */
import { etcd } from '../../src/etcd.js';
import { fleetReporter } from '../../src/fleet.js';
import { type Config, consul, loadConfig } from '../../src/index.js';
import { Schema, StrictSchema } from './schema.js';

const [store, service, instance, ttl, mode] = process.argv.slice(2);
if ((store !== 'etcd' && store !== 'consul') || !service || !instance || !ttl) {
  throw new Error('usage: instance.ts <etcd|consul> <service> <instance> <ttlSeconds> <strict|normal>');
}
// Neither the config nor the reporter keeps the process alive; a service would have its server. This
// stands in for it.
const alive = setInterval(() => {}, 1 << 30);
const source = store === 'consul' ? consul({ prefix: 'config/orders/' }) : etcd({ prefix: 'config/orders/' });
const config = (await loadConfig({
  schema: mode === 'strict' ? StrictSchema : Schema,
  sources: [source],
})) as unknown as Config<unknown>;
const report = fleetReporter(config, { store, service, instance, ttlSeconds: Number(ttl) });
config.errors$.subscribe((error) => process.stderr.write(`refused: ${error.code}\n`));
await report.ready;
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  clearInterval(alive);
  void config
    .close()
    .then(() => report.close())
    .then(() => process.stdout.write('closed\n'));
});
