/**
 * examples/helloworld-service end to end: start it, request it, edit its YAML, see the new response,
 * stop it — and the process exits by itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { SseClient } from '../inspector/helpers.js';
import { type Child, eventually, killAll, ROOT, startTs, tempDir } from './child.js';

const MAIN = join(ROOT, 'examples/helloworld-service/main.ts');
const SHIPPED = readFileSync(join(ROOT, 'examples/helloworld-service/config.yaml'), 'utf8');

let dir: ReturnType<typeof tempDir>;
let configFile: string;
let text: string;

/** Rewrites the config file with one more replacement applied to the current text. */
function edit(from: RegExp | string, to: string): void {
  const next = text.replace(from, to);
  expect(next, `the config has ${from}`).not.toBe(text);
  text = next;
  writeFileSync(configFile, text);
}

async function hello(url: string, name?: string): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${url}/hello${name ? `?name=${name}` : ''}`);
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/** Polls until GET /hello answers `message` (rewriting the file now and then, in case a write was missed). */
function messageBecomes(url: string, name: string, message: string): Promise<unknown> {
  return eventually(async () => ((await hello(url, name)).body.message === message ? true : undefined), {
    nudge: () => writeFileSync(configFile, text),
    what: `GET /hello?name=${name} → ${message}`,
  });
}

async function start(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ child: Child; url: string }> {
  const child = startTs(MAIN, ['--config', configFile, ...args], {
    env: { HELLOWORLD_GREETING_DEFAULT_NAME: undefined, ...env },
  });
  const [, url] = await child.waitFor(/listening on (http:\/\/\S+)/);
  return { child, url: url as string };
}

function listenOn(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listenOn();
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeEach(() => {
  dir = tempDir('livecfg-helloworld-');
  configFile = join(dir.path, 'config.yaml');
  // The shipped config, on a free port and with a rate limit the polling below never reaches.
  text = SHIPPED.replace(/port: 8080/, 'port: 0')
    .replace(/requestsPerSecond: \d+/, 'requestsPerSecond: 10000')
    .replace(/burst: \d+/, 'burst: 10000');
  writeFileSync(configFile, text);
});

afterEach(async () => {
  await killAll();
  dir.remove();
});

describe('examples/helloworld-service', () => {
  it('answers from file + env + flags, applies YAML edits live, keeps the last good config, exits on SIGTERM', async () => {
    const { child, url } = await start(['--features.timestamp=true'], {
      HELLOWORLD_GREETING_DEFAULT_NAME: 'Env',
    });

    const first = await hello(url);
    expect(first.status).toBe(200);
    expect(first.body.message).toBe('Hello Env'); // defaultName from HELLOWORLD_GREETING_DEFAULT_NAME
    expect(new Date(first.body.time as string).getTime()).not.toBeNaN(); // features.timestamp from the flag
    expect((await hello(url, 'Ann')).body.message).toBe('Hello Ann');

    edit('template: Hello {name}', 'template: Howdy {name}!');
    edit('shout: false', 'shout: true');
    await messageBecomes(url, 'Ann', 'HOWDY ANN!');
    expect(child.stdout).toMatch(/config v\d+ from file:\S+config\.yaml: .*greeting\.template/);

    // An edit the schema rejects is reported; the service keeps answering from the last good config.
    const before = child.stdout.length;
    edit('template: Howdy {name}!', 'template: no placeholder');
    await eventually(
      async () => (child.stdout.slice(before).includes('config error, keeping v') ? true : undefined),
      {
        nudge: () => writeFileSync(configFile, text),
        what: 'the rejected edit to be reported',
      },
    );
    expect(child.stdout.slice(before)).toMatch(/greeting\.template: .*\{name\}/);
    expect((await hello(url, 'Ann')).body.message).toBe('HOWDY ANN!');

    const exit = await child.stop('SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(child.stdout).toMatch(/SIGTERM: shutting down\nstopped in \d+ ms\n$/);
    expect(withoutNodeWarnings(child.stderr)).toBe('');
  });

  it('moves to a new port (new listener first, then the old one closes) and stays put when the port is taken', async () => {
    const { child, url } = await start();
    expect((await hello(url)).body.message).toBe('Hello World');

    const port = await freePort();
    edit(/port: 0\b/, `port: ${port}`);
    const moved = `http://127.0.0.1:${port}`;
    await eventually(async () => (child.stdout.includes(`closed ${url}`) ? true : undefined), {
      nudge: () => writeFileSync(configFile, text),
      what: 'the move to the new port',
    });
    expect(child.stdout.indexOf(`listening on ${moved}`)).toBeLessThan(child.stdout.indexOf(`closed ${url}`));
    expect((await hello(moved)).body.message).toBe('Hello World');
    await expect(fetch(`${url}/hello`)).rejects.toThrow();

    const blocker = await listenOn();
    try {
      const taken = (blocker.address() as { port: number }).port;
      edit(`port: ${port}`, `port: ${taken}`);
      await eventually(
        async () => (child.stdout.includes(`cannot listen on 127.0.0.1:${taken}`) ? true : undefined),
        {
          nudge: () => writeFileSync(configFile, text),
          what: 'the failed move to be logged',
        },
      );
      expect((await hello(moved)).body.message).toBe('Hello World');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }

    expect(await child.stop('SIGINT')).toMatchObject({ code: 0, signal: null });
  });

  it('applies a new rate limit live', async () => {
    const { child, url } = await start();
    edit('requestsPerSecond: 10000', 'requestsPerSecond: 0.001');
    edit('burst: 10000', 'burst: 2');
    await eventually(
      async () => (child.stdout.includes('rate limit is now 0.001/s, burst 2') ? true : undefined),
      {
        nudge: () => writeFileSync(configFile, text),
        what: 'the new rate limit',
      },
    );
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await fetch(`${url}/hello`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(await child.stop('SIGTERM')).toMatchObject({ code: 0 });
  });
  it("serves the operator's view at /config/ behind admin.token: page, redacted API, live events", async () => {
    const token = 'admin-token-123';
    const { child, url } = await start([], { HELLOWORLD_ADMIN_TOKEN: token });
    const bearer = { authorization: `Bearer ${token}` };

    const anonymous = await fetch(`${url}/config/api/config`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="helloworld config"/);
    expect(
      (await fetch(`${url}/config/api/config`, { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(401);

    const response = await fetch(`${url}/config/api/config`, { headers: bearer });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(token);
    const body = JSON.parse(text) as {
      version: number;
      value: { admin: { token: string }; greeting: unknown };
    };
    expect(body.value.admin.token).toBe('[redacted]');
    expect(body.value.greeting).toEqual({ template: 'Hello {name}', defaultName: 'World' });

    // A browser signs in with Basic auth (any user, the token as password); the page links below /config/.
    const basic = { authorization: `Basic ${Buffer.from(`ops:${token}`).toString('base64')}` };
    for (const path of ['/config/', '/config']) {
      const page = await fetch(`${url}${path}`, { headers: basic });
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toContain('<meta name="livecfg-base" content="/config/">');
    }
    const explained = await fetch(`${url}/config/api/explain?path=admin.token`, { headers: basic });
    expect(await explained.json()).toMatchObject({ value: '[redacted]', source: 'env:HELLOWORLD_' });

    const events = await SseClient.connect(`${url}/config/api/events`, bearer);
    try {
      edit('template: Hello {name}', 'template: Hey {name}');
      await eventually(async () => (events.data('change').length > 0 ? true : undefined), {
        nudge: () => writeFileSync(configFile, text),
        what: 'a change event at /config/api/events',
      });
      expect(events.data('change')[0]).toMatchObject({
        changes: [
          expect.objectContaining({
            path: 'greeting.template',
            previous: 'Hello {name}',
            value: 'Hey {name}',
          }),
        ],
      });
      // The open stream does not hold up the shutdown.
      const exit = await child.stop('SIGTERM');
      // Exits by itself: stop() rejects if the child is still running at its deadline.
      expect(exit).toMatchObject({ code: 0, signal: null });
    } finally {
      events.close();
    }
  });

  it("keeps the operator's view closed when no admin.token is configured", async () => {
    const { child, url } = await start();
    const response = await fetch(`${url}/config/api/config`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: 'FORBIDDEN', message: 'set admin.token to open the config inspector' },
    });
    expect((await hello(url)).status).toBe(200);
    expect(await child.stop('SIGTERM')).toMatchObject({ code: 0 });
  });
});
