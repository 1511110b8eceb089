/**
 * A NestJS greeter configured live by livecfg: `npm run example:nest`, then edit config.yaml.
 * `GET /hello?name=Ann` answers from the greeting template, under a rate limit, with feature flags;
 * `GET /config/` is the inspector (loopback only here).
 *
 * Layers (later wins): schema defaults < config.yaml (or --config FILE) < GREETER_* env < flags.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Config, env, file, flags } from '../../src/index.js'; // in your project: from 'livecfg'
import { LivecfgModule } from '../../src/integrations/nest/index.js'; // in your project: from 'livecfg/nest'
import {
  EXIT_AFTER_LISTEN,
  onShutdown,
  printCpuTime,
  splitArgs,
  WITH_INSPECTOR,
} from '../fastify-service/greeter.js';
import { type GreeterConfig, Schema } from '../fastify-service/schema.js';
import { greeterModule } from './greeter.module.js';

const { configFile, rest } = splitArgs(process.argv.slice(2), new URL('config.yaml', import.meta.url));
const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const AppModule = greeterModule(
  LivecfgModule.forRoot({
    schema: Schema,
    sources: [file(configFile), env({ prefix: 'GREETER_' }), flags(rest)],
    isGlobal: true,
    // Only loopback can reach it here; elsewhere give `authorize` a real check.
    inspector: WITH_INSPECTOR
      ? { path: '/config', authorize: (req) => loopback.has(req.socket.remoteAddress ?? '') }
      : false,
  }),
);

const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
const config = app.get<Config<GreeterConfig>>(Config);
config.changes$.subscribe((change) => {
  console.log(`config v${change.version} from ${change.source}: ${change.changed.join(', ')}`);
});

await app.listen(config.get('server.port'), config.get('server.host'));
const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
console.log(`listening on ${url}`);
console.log(`config: ${configFile} (edit it while the service runs); try: curl '${url}/hello?name=Alice'`);

// app.close() runs onApplicationShutdown: LivecfgModule closes the config there.
if (EXIT_AFTER_LISTEN) {
  printCpuTime();
  await app.close();
} else onShutdown(() => app.close());
