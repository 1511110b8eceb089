/**
 * A Fastify greeter configured live by livecfg: `npm run example:fastify`, then edit config.yaml.
 * `GET /hello?name=Ann` answers from the greeting template, under a rate limit, with feature flags;
 * `GET /config/` is the inspector (loopback only here).
 *
 * Layers (later wins): schema defaults < config.yaml (or --config FILE) < GREETER_* env < flags.
 */
import Fastify from 'fastify';
import { env, file, flags } from '../../src/index.js'; // in your project: from 'livecfg'
import livecfg from '../../src/integrations/fastify/index.js'; // in your project: from 'livecfg/fastify'
import {
  EXIT_AFTER_LISTEN,
  greet,
  onShutdown,
  printCpuTime,
  splitArgs,
  TokenBucket,
  WITH_INSPECTOR,
} from './greeter.js';
import { Schema } from './schema.js';

// Types `app.config` with the schema, for every file of the app.
declare module '../../src/integrations/fastify/index.js' {
  // in your project: declare module 'livecfg/fastify'
  interface LivecfgFastifyTypes {
    schema: typeof Schema;
  }
}

const { configFile, rest } = splitArgs(process.argv.slice(2), new URL('config.yaml', import.meta.url));

const app = Fastify();
await app.register(livecfg, {
  schema: Schema,
  sources: [file(configFile), env({ prefix: 'GREETER_' }), flags(rest)],
  // Only loopback can reach it here; elsewhere give `authorize` a real check.
  inspector: WITH_INSPECTOR
    ? { prefix: '/config', authorize: (req) => isLoopback(req.socket.remoteAddress) }
    : false,
});
const { config } = app;

const bucket = new TokenBucket(config.get('rateLimit.requestsPerSecond'), config.get('rateLimit.burst'));
config.watch('rateLimit', { emitCurrent: false }).subscribe((limit) => {
  bucket.configure(limit.requestsPerSecond, limit.burst);
});
config.changes$.subscribe((change) => {
  console.log(`config v${change.version} from ${change.source}: ${change.changed.join(', ')}`);
});
config.errors$.subscribe((error) =>
  console.log(`config error, keeping v${config.version}: ${error.message}`),
);

app.get<{ Querystring: { name?: string } }>('/hello', async (request, reply) => {
  const wait = bucket.take();
  if (wait > 0) {
    return reply
      .code(429)
      .header('retry-after', String(Math.ceil(wait)))
      .send({ error: 'rate limited' });
  }
  return greet(config.value, request.query.name);
});
app.get('/features', async () => config.value.features);

const url = await app.listen({ host: config.get('server.host'), port: config.get('server.port') });
console.log(`listening on ${url}`);
console.log(`config: ${configFile} (edit it while the service runs); try: curl '${url}/hello?name=Alice'`);

if (EXIT_AFTER_LISTEN) {
  printCpuTime();
  await app.close();
} else onShutdown(() => app.close());

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
