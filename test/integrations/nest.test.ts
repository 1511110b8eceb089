/**
 * livecfg/nest against the real NestJS from npm (express platform): live values without a restart,
 * @OnConfigChange once per change, a rejected edit kept out and logged, forRootAsync, startup
 * failures, the inspector behind authorize, and app.close() releasing everything (child process).
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Config, ConfigError, file } from '../../src/index.js';
import { LivecfgModule } from '../../src/integrations/nest/index.js';
import { killAll, ROOT, startTs } from '../examples/child.js';
import { ConfigFile, eventually, getJson, INITIAL, Schema, untilBody } from './fixture.js';
import { appModule, type Calls, createApp, MemoryLogger, options } from './nest-app.js';

let config: ConfigFile;
let app: NestExpressApplication | undefined;
let calls: Calls;

async function boot(
  module: unknown,
  logger: MemoryLogger | false = false,
): Promise<{ app: NestExpressApplication; url: string }> {
  app = await createApp(module, logger);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

beforeEach(() => {
  config = new ConfigFile();
  calls = { greeting: [], limit: [], changes: [] };
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await killAll();
  config.remove();
});

describe('livecfg/nest', () => {
  it('serves a YAML edit without a restart; each @OnConfigChange handler fires once per change of its path', async () => {
    const { app: instance, url } = await boot(appModule(LivecfgModule.forRoot(options(config.path)), calls));
    expect((await getJson(`${url}/greeting`)).body).toEqual({
      greeting: 'Hello {name}',
      limit: 60,
      shout: false,
      version: 1,
    });
    expect(calls).toEqual({ greeting: [], limit: [], changes: [] }); // no call for the initial value

    config.write(INITIAL.replace('Hello', 'Bonjour'));
    await untilBody(`${url}/greeting`, (b) => b.greeting === 'Bonjour {name}', config, 'the new greeting');
    await eventually(async () => (calls.changes.length === 1 ? true : undefined), { what: 'one change' });

    config.write(INITIAL.replace('Hello', 'Bonjour').replace('shout: false', 'shout: true'));
    await untilBody(`${url}/greeting`, (b) => b.shout === true, config, 'the feature flag');
    await eventually(async () => (calls.changes.length === 2 ? true : undefined), { what: 'two changes' });

    config.write(INITIAL.replace('Hello', 'Hallo').replace('shout: false', 'shout: true'));
    await untilBody(`${url}/greeting`, (b) => b.greeting === 'Hallo {name}', config, 'the second greeting');
    await eventually(async () => (calls.changes.length === 3 ? true : undefined), { what: 'three changes' });

    // The nudges rewrote identical text: deduplicated, so exactly one call per real change.
    expect(calls.greeting).toEqual(['Bonjour {name}', 'Hallo {name}']);
    expect(calls.limit).toEqual([]);
    expect(calls.changes.map((change) => change.changed)).toEqual([
      ['greeting.template'],
      ['features.shout'],
      ['greeting.template'],
    ]);
    expect(calls.changes.map((change) => change.version)).toEqual([2, 3, 4]);
    expect(instance.get(Config).version).toBe(4);
  });

  it('keeps serving the last good config after a bad edit and logs it; a failing handler is logged, not fatal', async () => {
    const logger = new MemoryLogger();
    const { url } = await boot(appModule(LivecfgModule.forRoot(options(config.path)), calls), logger);

    config.write(INITIAL.replace('burst: 60', 'burst: -5'));
    await eventually(
      async () => (logger.lines.some((line) => line.context === 'livecfg') ? true : undefined),
      { nudge: () => config.nudge(), what: 'the rejected edit in the log' },
    );
    const line = logger.lines.find((l) => l.context === 'livecfg');
    expect(line?.level).toBe('error');
    expect(line?.message).toMatch(/^VALIDATION: .*config\.yaml.*rateLimit\.burst/);
    expect((await getJson(`${url}/greeting`)).body).toMatchObject({
      greeting: 'Hello {name}',
      limit: 60,
      version: 1,
    });
    expect(calls.limit).toEqual([]);

    // A handler that rejects is reported and stays subscribed.
    config.write(INITIAL.replace('burst: 60', 'burst: 13'));
    await untilBody(`${url}/greeting`, (b) => b.limit === 13, config, 'limit 13');
    await eventually(
      async () => (logger.lines.some((l) => l.message.includes('unlucky limit')) ? true : undefined),
      { what: 'the failing handler in the log' },
    );
    expect(logger.lines.find((l) => l.message.includes('unlucky'))?.message).toMatch(
      /@OnConfigChange handler Greeter\.limitChanged failed: unlucky limit/,
    );
    config.write(INITIAL.replace('burst: 60', 'burst: 14'));
    await untilBody(`${url}/greeting`, (b) => b.limit === 14, config, 'limit 14');
    await eventually(async () => (calls.limit.length === 2 ? true : undefined), { what: 'the next call' });
    expect(calls.limit).toEqual([13, 14]);
  });

  it('forRootAsync builds the options from injected providers, and the Config resolves by its class', async () => {
    const PATH = Symbol('path');
    @Module({ providers: [{ provide: PATH, useValue: config.path }], exports: [PATH] })
    class PathModule {}

    /** What tsc emits with emitDecoratorMetadata for `constructor(config: Config<...>)`: no @Inject needed. */
    @Injectable()
    class ByType {
      constructor(readonly config: Config) {}
    }
    Reflect.defineMetadata('design:paramtypes', [Config], ByType);

    @Module({
      imports: [
        LivecfgModule.forRootAsync({
          imports: [PathModule],
          inject: [PATH],
          useFactory: async (path: string) => ({ schema: Schema, sources: [file(path)] }),
          isGlobal: true,
        }),
      ],
      providers: [ByType],
    })
    class AsyncModule {}

    app = await createApp(AsyncModule);
    await app.init();
    const byType = app.get(ByType);
    expect(byType.config).toBeInstanceOf(Config);
    expect(byType.config).toBe(app.get(Config));
    expect(byType.config.get('greeting.template')).toBe('Hello {name}');
  });

  it('rejects startup with the ConfigError of a source that cannot be read', async () => {
    const module = appModule(LivecfgModule.forRoot(options(join(config.dir.path, 'missing.yaml'))), calls);
    const error = await createApp(module).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('missing.yaml');
  });

  it('closes the config on app.close(): streams complete and handlers stop', async () => {
    const { app: instance } = await boot(appModule(LivecfgModule.forRoot(options(config.path)), calls));
    const loaded = instance.get(Config);
    let completed = false;
    loaded.changes$.subscribe({ complete: () => (completed = true) });
    await instance.close();
    app = undefined;
    expect(completed).toBe(true);
    await expect(loaded.sync()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('mounts the inspector at its path behind authorize, and closes with open streams', async () => {
    const module = appModule(
      LivecfgModule.forRoot({
        ...options(config.path),
        inspector: { path: '/config', authorize: (req) => req.headers['x-ok'] === '1' },
      }),
      calls,
    );
    const { url } = await boot(module);
    expect((await fetch(`${url}/config/api/config`)).status).toBe(403);
    const response = await fetch(`${url}/config/api/config`, { headers: { 'x-ok': '1' } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { value: unknown }).value).toMatchObject({
      greeting: { template: 'Hello {name}' },
    });
    expect((await getJson(`${url}/greeting`)).body.greeting).toBe('Hello {name}'); // the app's own routes still answer
    const page = await fetch(`${url}/config`, { headers: { 'x-ok': '1' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    await page.text();

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

  it('lets the process exit by itself after app.close() (child process)', async () => {
    const child = startTs(join(ROOT, 'test/integrations/nest-child.ts'), [config.path]);
    await child.waitFor(/listening on http:\/\/\S+/);
    await child.waitFor(/closed/);
    expect(await child.waitExit(10_000)).toEqual({ code: 0, signal: null });
    expect(child.stdout).toMatch(/greeting Hello \{name\}\n/);
  });
});
