/**
 * Child process of nest.test.ts: boots the Nest test app (express platform, file watch on), answers
 * one request, closes the app and returns. The test asserts the process then exits on its own.
 */
import { LivecfgModule } from '../../src/integrations/nest/index.js';
import { appModule, createApp, options } from './nest-app.js';

const path = process.argv[2];
if (!path) throw new Error('usage: nest-child.ts CONFIG_FILE');
const app = await createApp(
  appModule(LivecfgModule.forRoot(options(path)), { greeting: [], limit: [], changes: [] }),
);
await app.listen(0, '127.0.0.1');
const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
console.log(`listening on ${url}`);
const body = (await (await fetch(`${url}/greeting`)).json()) as { greeting: string };
console.log(`greeting ${body.greeting}`);
await app.close();
console.log('closed');
