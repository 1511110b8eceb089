/**
 * Child process of fastify.test.ts: boots a Fastify app with livecfg (file watch on), answers one
 * request, closes the app and returns. The test asserts the process then exits on its own: nothing
 * (watcher, timer, socket) keeps it alive after close().
 */
import Fastify from 'fastify';
import { file } from '../../src/index.js';
import livecfg from '../../src/integrations/fastify/index.js';
import { Schema } from './fixture.js';

const path = process.argv[2];
if (!path) throw new Error('usage: fastify-child.ts CONFIG_FILE');
const app = Fastify();
await app.register(livecfg, { schema: Schema, sources: [file(path)] });
app.get('/', async () => ({ greeting: app.config.get('greeting.template') }));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening on ${url}`);
const body = (await (await fetch(url)).json()) as { greeting: string };
console.log(`greeting ${body.greeting}`);
await app.close();
console.log('closed');
