/**
 * The helloworld service configured from Consul KV, live.
 *
 * With CONSUL_HTTP_ADDR set (and CONSUL_HTTP_TOKEN if your agent uses ACLs), it reads a real Consul
 * and seeds the keys below that are missing. Without it, it starts the in-process Consul KV test
 * server from test/consul-server/ and prints its address, so you can `curl -X PUT` new values.
 *
 * Config layers (later wins): schema defaults < Consul keys under config/helloworld/ < flags.
 */
import { consul, flags, loadConfig } from '../../src/index.js'; // in your project: from 'livecfg'
import { Schema } from '../helloworld-service/schema.js';
import { logConfigActivity, onShutdown, startService } from '../helloworld-service/service.js';

const PREFIX = 'config/helloworld/';

/** The keys the example starts with; a value is JSON when it parses as JSON, else a string. */
const SEED: Record<string, string> = {
  'greeting/template': 'Hello {name}, from Consul',
  'greeting/defaultName': 'World',
  'server/port': '8080',
  'rateLimit/requestsPerSecond': '10',
  'rateLimit/burst': '20',
  'features/shout': 'false',
};

/** Where Consul's HTTP API is, and how to stop whatever this example started for it. */
interface ConsulEndpoint {
  url: string;
  token: string | undefined;
  inProcess: boolean;
  close(): Promise<void>;
}

async function consulEndpoint(): Promise<ConsulEndpoint | undefined> {
  const address = process.env.CONSUL_HTTP_ADDR;
  if (address) {
    const url = /^https?:\/\//.test(address) ? address.replace(/\/+$/, '') : `http://${address}`;
    return { url, token: process.env.CONSUL_HTTP_TOKEN, inProcess: false, close: async () => {} };
  }
  let startConsulServer: typeof import('../../test/consul-server/server.js').startConsulServer;
  try {
    ({ startConsulServer } = await import('../../test/consul-server/server.js'));
  } catch (error) {
    console.log(`skipping: no CONSUL_HTTP_ADDR and no in-process Consul test server (${String(error)})`);
    return undefined;
  }
  const server = await startConsulServer();
  // Point the consul() source (which reads CONSUL_HTTP_ADDR by default) at the test server.
  process.env.CONSUL_HTTP_ADDR = server.address;
  return { url: server.url, token: undefined, inProcess: true, close: () => server.close() };
}

/** Writes the seed keys that do not exist yet (`?cas=0` only writes a missing key). */
async function seed(endpoint: ConsulEndpoint): Promise<void> {
  for (const [key, value] of Object.entries(SEED)) {
    const response = await fetch(`${endpoint.url}/v1/kv/${PREFIX}${key}?cas=0`, {
      method: 'PUT',
      body: value,
      headers: endpoint.token ? { 'x-consul-token': endpoint.token } : {},
    });
    if (!response.ok)
      throw new Error(`seeding ${PREFIX}${key}: HTTP ${response.status} ${await response.text()}`);
  }
}

const endpoint = await consulEndpoint();
if (endpoint) {
  await seed(endpoint);
  console.log(
    `consul: ${endpoint.url}${endpoint.inProcess ? ' (in-process test server)' : ''}; keys under ${PREFIX}`,
  );

  const config = await loadConfig({
    schema: Schema,
    sources: [consul({ prefix: PREFIX }), flags(process.argv.slice(2))],
  });
  logConfigActivity(config);
  const service = await startService(config);
  console.log(
    `try: curl '${service.url}/hello?name=Alice'\n` +
      `then: curl -X PUT --data 'Hi {name}' ${endpoint.url}/v1/kv/${PREFIX}greeting/template`,
  );

  onShutdown(async () => {
    await service.close();
    await config.close();
    await endpoint.close();
  });
}
