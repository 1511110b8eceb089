/**
 * The hot-reloading helloworld service: `npm run example`, then edit config.yaml while it runs.
 *
 * Config layers (later wins): the schema's defaults < config.yaml (or --config FILE) < HELLOWORLD_*
 * environment variables < command-line flags (--greeting.template="Hi {name}", --server.port=9090).
 */
import { fileURLToPath } from 'node:url';
import { env, file, flags, loadConfig } from '../../src/index.js'; // in your project: from 'livecfg'
import { Schema } from './schema.js';
import { logConfigActivity, onShutdown, startService } from './service.js';

/** `--config FILE` picks the YAML file; every other argument is a config flag. */
function splitArgs(argv: readonly string[]): { configFile: string; rest: string[] } {
  let configFile = fileURLToPath(new URL('config.yaml', import.meta.url));
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--config') configFile = argv[++index] ?? configFile;
    else if (arg.startsWith('--config=')) configFile = arg.slice('--config='.length);
    else rest.push(arg);
  }
  return { configFile, rest };
}

const { configFile, rest } = splitArgs(process.argv.slice(2));

const config = await loadConfig({
  schema: Schema,
  sources: [file(configFile), env({ prefix: 'HELLOWORLD_' }), flags(rest)],
});
logConfigActivity(config);
const service = await startService(config);
console.log(
  `config: ${configFile} (edit it while the service runs); try: curl '${service.url}/hello?name=Alice'`,
);

onShutdown(async () => {
  await service.close();
  await config.close();
});
