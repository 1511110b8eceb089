/** The fleet end to end on the in-process Consul server: five instance processes and the real CLI. */
import { afterEach, describe, it } from 'vitest';
import { openFleetStore } from '../../src/fleet.js';
import { startConsulServer } from '../consul-server/server.js';
import { killAll } from '../examples/child.js';
import { fleetFlow } from './flow.js';

afterEach(killAll);

describe('fleet on Consul (in-process server, real processes)', () => {
  it('put, fleet --wait-revision, a refusal, a refused put, SIGKILL and SIGTERM', async () => {
    // Consul's session_ttl_min lowered to 1 s so that a killed instance vanishes quickly (TTL × 2).
    const server = await startConsulServer({ sessions: { minTtlMs: 1000 } });
    const store = openFleetStore({ store: 'consul', consul: { host: server.host, port: server.port } });
    try {
      await fleetFlow({
        kind: 'consul',
        env: { CONSUL_HTTP_ADDR: server.address, CONSUL_HTTP_TOKEN: undefined, CONSUL_HTTP_SSL: undefined },
        store,
        seed: async (key, value) => void server.put(key, value),
        ttlSeconds: 2,
        vanishMs: 2 * 2000 + 3000,
      });
    } finally {
      store.close();
      await server.close();
    }
  }, 900_000);
});
