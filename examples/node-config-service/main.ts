/**
 * The helloworld service on a node-config project: `npm run example:node-config`. The same service as
 * examples/helloworld-service, switched to node-config's layout with one line (`sources: nodeConfig(…)`):
 * config/default.yaml, config/{NODE_ENV}.yaml, config/local.yaml (create or edit it while the service
 * runs), custom-environment-variables.yaml, $NODE_CONFIG and --NODE_CONFIG={...}.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/index.js'; // in your project: from 'livecfg'
import { nodeConfig } from '../../src/node-config.js'; // in your project: from 'livecfg/node-config'
import { Schema } from '../helloworld-service/schema.js';
import { logConfigActivity, onShutdown, startService } from '../helloworld-service/service.js';

// In your project the default (NODE_CONFIG_DIR, else ./config) is all you need: nodeConfig().
const dir = process.env.NODE_CONFIG_DIR ?? fileURLToPath(new URL('config', import.meta.url));

const config = await loadConfig({ schema: Schema, sources: nodeConfig({ dir }) });
logConfigActivity(config);
const service = await startService(config);
console.log(
  `config: ${dir} (create local.yaml there while the service runs); try: curl '${service.url}/hello?name=Alice'`,
);

onShutdown(async () => {
  await service.close();
  await config.close();
});
