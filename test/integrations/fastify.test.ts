/**
 * livecfg/fastify against the real Fastify from npm: a live value without a restart, a rejected edit
 * that keeps the last good config and is logged, startup failures, and close() releasing everything.
 */
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, file, memory } from '../../src/index.js';
import livecfg from '../../src/integrations/fastify/index.js';
import { killAll, ROOT, startTs } from '../examples/child.js';
import { ConfigFile, eventually, getJson, INITIAL, Schema, untilBody } from './fixture.js';

let config: ConfigFile;
let app: FastifyInstance | undefined;
let logLines: Record<string, unknown>[];

/** A Fastify app whose pino logger writes JSON lines into `logLines`. */
function createApp(): FastifyInstance {
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      callback();
    },
  });
  return Fastify({ logger: { level: 'warn', stream } });
}

async function boot(options: Record<string, unknown> = {}): Promise<{ app: FastifyInstance; url: string }> {
  const instance = createApp();
  app = instance;
  await instance.register(livecfg, { schema: Schema, sources: [file(config.path)], ...options });
  instance.get('/greeting', async () => ({
    greeting: instance.config.get('greeting.template'),
    limit: instance.config.get('rateLimit.burst'),
    version: instance.config.version,
  }));
  const url = await instance.listen({ port: 0, host: '127.0.0.1' });
  return { app: instance, url };
}

beforeEach(() => {
  config = new ConfigFile();
  logLines = [];
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await killAll();
  config.remove();
});

describe('livecfg/fastify', () => {
  it('serves a YAML edit without a restart', async () => {
    const { app: instance, url } = await boot();
    expect(await getJson(`${url}/greeting`)).toEqual({
      status: 200,
      body: { greeting: 'Hello {name}', limit: 60, version: 1 },
    });
    config.write(INITIAL.replace('Hello', 'Bonjour').replace('burst: 60', 'burst: 120'));
    const body = await untilBody(
      `${url}/greeting`,
      (b) => b.greeting === 'Bonjour {name}',
      config,
      'the new greeting',
    );
    expect(body).toEqual({ greeting: 'Bonjour {name}', limit: 120, version: 2 });
    expect(instance.config.get('features.shout')).toBe(false);
  });

  it('keeps serving the last good config after a bad edit, and logs it with the file', async () => {
    const { app: instance, url } = await boot();
    config.write(INITIAL.replace('Hello', 'Hi'));
    await untilBody(`${url}/greeting`, (b) => b.greeting === 'Hi {name}', config, 'the good edit');

    const errors: ConfigError[] = [];
    const subscription = instance.config.errors$.subscribe((error) => errors.push(error));
    config.write(INITIAL.replace('Hello', 'Hi').replace('burst: 60', 'burst: -5')); // the schema rejects it
    await eventually(async () => (errors.length > 0 ? true : undefined), {
      nudge: () => config.nudge(),
      what: 'the rejected edit on errors$',
    });
    subscription.unsubscribe();
    expect(errors[0]).toBeInstanceOf(ConfigError);
    expect(errors[0]?.code).toBe('VALIDATION');
    expect((await getJson(`${url}/greeting`)).body).toEqual({ greeting: 'Hi {name}', limit: 60, version: 2 });
    const logged = logLines.find((line) => String(line.msg).startsWith('livecfg: '));
    expect(logged, JSON.stringify(logLines)).toMatchObject({ level: 50, code: 'VALIDATION' });
    expect(String(logged?.msg)).toContain('rateLimit.burst');
    expect(String(logged?.msg)).toContain('config.yaml');

    // Broken YAML is a parse error: also reported, also kept out.
    const before = errors.length;
    const again = instance.config.errors$.subscribe((error) => errors.push(error));
    config.write('greeting: [unclosed\n');
    await eventually(async () => (errors.length > before ? true : undefined), {
      nudge: () => config.nudge(),
      what: 'the parse error on errors$',
    });
    again.unsubscribe();
    expect((await getJson(`${url}/greeting`)).body.greeting).toBe('Hi {name}');
  });

  it('fails ready() with the ConfigError of a source that cannot be read, and leaves nothing open', async () => {
    const instance = createApp();
    app = instance;
    instance.register(livecfg, { schema: Schema, sources: [file(join(config.dir.path, 'missing.yaml'))] });
    const error = await instance.ready().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('missing.yaml');
  });

  it('fails ready() with VALIDATION when the file does not satisfy the schema at startup', async () => {
    config.write('greeting:\n  template: no placeholder\n');
    const instance = createApp();
    app = instance;
    instance.register(livecfg, { schema: Schema, sources: [file(config.path)] });
    await expect(instance.ready()).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('fails registration when `config` is already decorated, and closes what it loaded', async () => {
    const instance = createApp();
    app = instance;
    instance.decorate('config', 'taken' as never);
    const source = memory({ greeting: { template: 'Hi {name}' } });
    let closed = 0;
    const close = source.close!.bind(source);
    source.close = async () => {
      closed++;
      await close();
    };
    instance.register(livecfg, { schema: Schema, sources: [source] });
    await expect(instance.ready()).rejects.toMatchObject({ code: 'FST_ERR_DEC_ALREADY_PRESENT' });
    expect(closed).toBe(1);
  });

  it('decorates the whole app (no encapsulation) and closes the config in onClose', async () => {
    const instance = createApp();
    app = instance;
    await instance.register(livecfg, { schema: Schema, sources: [file(config.path)] });
    let seen: unknown;
    await instance.register(async (child) => {
      seen = child.config.get('greeting.template');
    });
    await instance.ready();
    expect(seen).toBe('Hello {name}');
    // The plugin's own marks: skip-override lifts the decorator to the root; its name is registered.
    expect(instance.hasDecorator('config')).toBe(true);
    expect(instance.hasPlugin('livecfg')).toBe(true);
    expect(instance.printPlugins()).toContain('livecfg');
    const loaded = instance.config;
    let completed = false;
    loaded.changes$.subscribe({ complete: () => (completed = true) });
    await instance.close();
    app = undefined;
    expect(completed).toBe(true);
    await expect(loaded.sync()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('serves the inspector under its prefix, behind authorize; an open event stream does not hold close()', async () => {
    const { url } = await boot({
      inspector: { prefix: '/config', authorize: (req: IncomingMessage) => req.headers['x-ok'] === '1' },
    });
    expect((await fetch(`${url}/config/api/config`)).status).toBe(403);
    const response = await fetch(`${url}/config/api/config`, { headers: { 'x-ok': '1' } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { value: unknown }).value).toMatchObject({
      greeting: { template: 'Hello {name}' },
    });
    const page = await fetch(`${url}/config`, { headers: { 'x-ok': '1' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    await page.text();
    expect(
      (await fetch(`${url}/config/api/config`, { method: 'POST', headers: { 'x-ok': '1' } })).status,
    ).toBe(405);
    expect((await getJson(`${url}/greeting`)).body.greeting).toBe('Hello {name}');

    // An open event stream does not hold app.close(): the stream ends, the app closes.
    const events = await fetch(`${url}/config/api/events`, { headers: { 'x-ok': '1' } });
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const reader = events.body!.getReader();
    const ended = (async () => {
      while (!(await reader.read()).done) {}
      return true;
    })();
    await app?.close();
    app = undefined;
    expect(await ended).toBe(true);
  });

  it('serves the inspector under an enclosing plugin prefix too', async () => {
    const instance = createApp();
    app = instance;
    let scoped: FastifyInstance | undefined;
    await instance.register(
      async (admin) => {
        await admin.register(livecfg, { schema: Schema, sources: [file(config.path)], inspector: true });
        scoped = admin;
      },
      { prefix: '/admin' },
    );
    const url = await instance.listen({ port: 0, host: '127.0.0.1' });
    const body = (await (await fetch(`${url}/admin/config/api/config`)).json()) as { version: number };
    expect(body.version).toBe(1);
    // skip-override lifts the decorator into the registering scope (here: the /admin plugin), as usual.
    expect(scoped?.config.get('greeting.template')).toBe('Hello {name}');
  });

  it('lets the process exit by itself after app.close() (child process)', async () => {
    const child = startTs(join(ROOT, 'test/integrations/fastify-child.ts'), [config.path]);
    await child.waitFor(/listening on http:\/\/\S+/);
    await child.waitFor(/closed/);
    expect(await child.waitExit(10_000)).toEqual({ code: 0, signal: null });
    expect(child.stdout).toMatch(/greeting Hello \{name\}\n/);
  });
});
