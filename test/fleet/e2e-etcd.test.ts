/** The fleet end to end on a real etcd: five instance processes and the real CLI. */
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { type FleetStore, openFleetStore } from '../../src/fleet.js';
import { EtcdGateway } from '../../src/sources/etcd/gateway.js';
import { killAll } from '../examples/child.js';
import { type EtcdServer, startEtcd } from '../helpers/etcd-server.js';
import { fleetFlow } from './flow.js';

afterEach(killAll);

let server: EtcdServer;
let admin: EtcdGateway;
let store: FleetStore;

beforeAll(async () => {
  server = await startEtcd();
  admin = new EtcdGateway({ hosts: [server.endpoint] });
  store = openFleetStore({ store: 'etcd', etcd: { hosts: server.endpoint } });
});

afterAll(async () => {
  store?.close();
  admin?.close();
  await server?.close();
});

describe('fleet on etcd (real server, real processes)', () => {
  it('put, fleet --wait-revision, a refusal, a refused put, SIGKILL and SIGTERM', async () => {
    await fleetFlow({
      kind: 'etcd',
      env: { ETCDCTL_ENDPOINTS: server.endpoint },
      store,
      seed: async (key, value) => void (await admin.put(key, value)),
      // etcd's smallest lease TTL here is about 2 s; it expires a lease within TTL plus a tick.
      ttlSeconds: 2,
      vanishMs: 2000 + 3000,
    });
  }, 900_000);
});
