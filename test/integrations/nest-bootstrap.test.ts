/**
 * Issue 26 item 14, with the real NestJS 11: when another provider throws after the config loaded,
 * the application fails to bootstrap and the config is closed, so its http() source stops polling.
 */
import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Config, ConfigError } from '../../src/index.js';
import { InjectConfig, LivecfgModule } from '../../src/integrations/nest/index.js';
import { http } from '../../src/sources/http/http.js';
import { createApp } from './nest-app.js';

/** A config server counting the requests per path; `waitFor(path, n)` resolves at the n-th one. */
class CountingServer {
  readonly counts = new Map<string, number>();
  private waiters: Array<() => void> = [];
  private readonly server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' }).end('{"greeting":"hi"}');
    for (const waiter of this.waiters.splice(0)) waiter();
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  count(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  waitFor(path: string, n: number, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fewer than ${n} requests to ${path}`)), timeoutMs);
      const check = () => {
        if (this.count(path) >= n) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setup() {
  const server = await new CountingServer().start();
  cleanup.push(() => server.close());
  const poll = { intervalMs: 5, backoff: { initialMs: 5, maxMs: 10 } };
  const source = http({ url: `${server.url}/app.json`, ...poll });
  cleanup.push(() => source.close());
  // The positive barrier: a control source polling the same server as often, outside the app.
  const control = http({ url: `${server.url}/control.json`, ...poll });
  cleanup.push(() => control.close());
  return { server, source, control };
}

/** Subscribes the control source's watch and waits until it has polled `n` more times. */
async function controlPolls(server: CountingServer, control: ReturnType<typeof http>, n: number) {
  const subscription = control.watch().subscribe(() => {});
  cleanup.push(() => subscription.unsubscribe());
  await control.read();
  await server.waitFor('/control.json', server.count('/control.json') + n);
}

describe('livecfg/nest when the bootstrap fails (issue 26 item 14)', () => {
  it('a provider throwing after the config loaded: create() rejects, the config is closed, its http() source stops polling', async () => {
    const { server, source, control } = await setup();
    let loaded: Config | undefined;

    @Injectable()
    class Boom {
      constructor(@InjectConfig() config: Config) {
        loaded = config;
        throw new Error('boom after the config loaded');
      }
    }

    @Module({ imports: [LivecfgModule.forRoot({ sources: [source] })], providers: [Boom] })
    class AppModule {}

    const error = await createApp(AppModule).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toContain('boom after the config loaded');
    expect(loaded?.get('greeting')).toBe('hi');
    const before = server.count('/app.json');
    await controlPolls(server, control, 30);
    // At most one poll was already in flight when the config closed.
    expect(server.count('/app.json')).toBeLessThanOrEqual(before + 1);
    await expect(source.read()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect((loaded as Config).sync()).rejects.toBeInstanceOf(ConfigError);
  });

  it('an application context whose provider in another module fails after the config loaded closes it too', async () => {
    const { server, source, control } = await setup();

    @Module({
      providers: [
        {
          provide: 'database',
          // Fails once the config has been read: the failure comes after the config loaded.
          useFactory: async () => {
            await server.waitFor('/app.json', 1);
            throw new Error('database unreachable');
          },
        },
      ],
    })
    class DatabaseModule {}

    @Module({ imports: [LivecfgModule.forRoot({ sources: [source], isGlobal: true }), DatabaseModule] })
    class AppModule {}

    await expect(
      NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false }),
    ).rejects.toThrow('database unreachable');
    const before = server.count('/app.json');
    await controlPolls(server, control, 30);
    expect(server.count('/app.json')).toBeLessThanOrEqual(before + 1);
    await expect(source.read()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('a bootstrap that succeeds keeps the config open and polling until app.close()', async () => {
    const { server, source } = await setup();

    @Injectable()
    class Fine {
      constructor(@InjectConfig() readonly config: Config) {}
    }

    @Module({ imports: [LivecfgModule.forRoot({ sources: [source] })], providers: [Fine] })
    class AppModule {}

    const app = await createApp(AppModule);
    cleanup.push(() => app.close());
    await app.init();
    const polled = server.count('/app.json');
    await server.waitFor('/app.json', polled + 5);
    expect(app.get(Fine).config.get('greeting')).toBe('hi');
    await app.close();
    await expect(source.read()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
