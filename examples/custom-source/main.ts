/**
 * The helloworld service configured from an HTTP JSON endpoint through a custom source (./http-json-source.ts).
 *
 * Without `--url`, it starts its own tiny config endpoint (./config-server.ts) and prints how to change
 * the document with curl. With `--url URL`, it polls your endpoint instead.
 * Config layers (later wins): schema defaults < the HTTP document < flags.
 */
import { flags, loadConfig } from '../../src/index.js'; // in your project: from 'livecfg'
import { Schema } from '../helloworld-service/schema.js';
import { logConfigActivity, onShutdown, startService } from '../helloworld-service/service.js';
import { startConfigServer } from './config-server.js';
import { httpJson } from './http-json-source.js';

const INITIAL = {
  greeting: { template: 'Hello {name}, from an HTTP endpoint' },
  server: { port: 8080 },
};

/** `--url URL` and `--interval MS` configure the source; every other argument is a config flag. */
function splitArgs(argv: readonly string[]): { url?: string; intervalMs: number; rest: string[] } {
  const options: { url?: string; intervalMs: number; rest: string[] } = { intervalMs: 500, rest: [] };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (name === '--url') options.url = inline ?? argv[++index];
    else if (name === '--interval') options.intervalMs = Number(inline ?? argv[++index]);
    else options.rest.push(arg);
  }
  return options;
}

const { url, intervalMs, rest } = splitArgs(process.argv.slice(2));
const endpoint = url ? undefined : await startConfigServer(INITIAL);
const source = httpJson({ url: url ?? (endpoint?.url as string), intervalMs });

const config = await loadConfig({ schema: Schema, sources: [source, flags(rest)] });
logConfigActivity(config);
const service = await startService(config);
console.log(
  `config endpoint: ${source.name.slice('http:'.length)} (polled every ${intervalMs} ms with If-None-Match)`,
);
console.log(`try: curl '${service.url}/hello?name=Alice'`);
if (endpoint) {
  console.log(`then: curl -X PUT --data '{"greeting":{"template":"Hi {name}"}}' ${endpoint.url}`);
}

onShutdown(async () => {
  await service.close();
  await config.close();
  await endpoint?.close();
});
