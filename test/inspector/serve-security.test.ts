/**
 * Issue 26 items 10 and 11: `livecfg serve` as a child process answers only Host headers of the bound
 * address, loopback names and `--allow-host` (DNS rebinding), and a non-loopback bind needs a bearer
 * token or `--insecure`.
 */

import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, killAll, runCli, startTs, tempDir } from '../examples/child.js';

let dir: ReturnType<typeof tempDir>;

beforeEach(() => {
  dir = tempDir('livecfg-serve-sec-');
  writeFileSync(join(dir.path, 'app.yaml'), 'server:\n  port: 8080\ngreeting: hello-config\n');
});

afterEach(async () => {
  await killAll();
  dir.remove();
});

async function start(args: string[], env: Record<string, string | undefined> = {}) {
  const child = startTs(CLI, ['serve', '-f', 'app.yaml', '--port', '0', ...args], {
    cwd: dir.path,
    env: { LIVECFG_TOKEN: undefined, ...env },
  });
  const [, port] = await child.waitFor(/^inspector on http:\/\/[^ ]+:(\d+)\//m, { timeoutMs: 15_000 });
  return { child, port: Number(port) };
}

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** GET `path` from 127.0.0.1:port with the given Host header (none when `host` is null). */
function get(
  port: number,
  host: string | null,
  path = '/api/config',
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        setHost: false,
        headers: host === null ? headers : { host, ...headers },
        timeout: 5000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
          // An event stream never ends by itself: its first bytes are enough.
          if (path === '/api/events') response.destroy();
        });
        const done = () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers });
        response.on('end', done).on('close', done);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** A non-internal IPv4 address of this machine, if it has one. */
function lanAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && !entry.internal && entry.family === 'IPv4')?.address;
}

describe('serve: Host header check (DNS rebinding, issue 26 item 10)', () => {
  it('answers 403 to other Host names, 200 to the bound address and loopback names with the port', async () => {
    const { port } = await start([]);
    for (const host of [
      'attacker.example',
      `attacker.example:${port}`,
      `localhost:${port + 1}`,
      'localhost',
    ]) {
      const answer = await get(port, host);
      expect(answer.status, host).toBe(403);
      expect(answer.body).not.toContain('hello-config');
      expect(JSON.parse(answer.body).error.code).toBe('FORBIDDEN');
    }
    // No Host at all: Node's HTTP/1.1 server answers 400 before the handler runs.
    const hostless = await get(port, null);
    expect([400, 403]).toContain(hostless.status);
    expect(hostless.body).not.toContain('hello-config');
    expect((await get(port, 'attacker.example', '/')).status).toBe(403);
    expect((await get(port, 'attacker.example', '/api/events')).status).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      const answer = await get(port, host);
      expect(answer.status, host).toBe(200);
      expect(answer.body).toContain('hello-config');
    }
  });

  it('--allow-host adds names (any port) and name:port entries', async () => {
    const { port } = await start(['--allow-host', 'config.internal', '--allow-host', 'proxy.example:8443']);
    expect((await get(port, 'config.internal')).status).toBe(200);
    expect((await get(port, 'config.internal:443')).status).toBe(200);
    expect((await get(port, 'proxy.example:8443')).status).toBe(200);
    expect((await get(port, 'proxy.example')).status).toBe(403);
    expect((await get(port, 'other.internal')).status).toBe(403);
  });
});

describe('serve: a non-loopback bind needs a token or --insecure (issue 26 item 11)', () => {
  it('--host 0.0.0.0 alone exits 2 saying how to authenticate, before listening', async () => {
    const result = await runCli(['serve', '-f', 'app.yaml', '--host', '0.0.0.0', '--port', '0'], {
      cwd: dir.path,
      env: { LIVECFG_TOKEN: undefined },
      timeoutMs: 10_000,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--token-file/);
    expect(result.stderr).toMatch(/LIVECFG_TOKEN/);
    expect(result.stderr).toMatch(/--insecure/);
    expect(result.stdout).not.toContain('inspector on');
  });

  it('with --token-file: 401 without or with a wrong bearer token, 200 with it; the Host check still holds', async () => {
    const tokenFile = join(dir.path, 'token');
    writeFileSync(tokenFile, 's3cret-token-value\n');
    const { child, port } = await start(['--host', '0.0.0.0', '--token-file', tokenFile]);
    expect(child.stdout).toContain('bearer token required');
    const host = `127.0.0.1:${port}`;
    const none = await get(port, host);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.body).not.toContain('hello-config');
    for (const authorization of [
      'Bearer wrong',
      'Bearer s3cret-token-valu',
      'Basic s3cret-token-value',
      's3cret-token-value',
    ]) {
      expect((await get(port, host, '/api/config', { authorization })).status, authorization).toBe(401);
    }
    const ok = await get(port, host, '/api/config', { authorization: 'Bearer s3cret-token-value' });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('hello-config');
    expect(
      (await get(port, host, '/api/config', { authorization: 'bearer s3cret-token-value' })).status,
    ).toBe(200);
    const rebound = await get(port, 'attacker.example', '/api/config', {
      authorization: 'Bearer s3cret-token-value',
    });
    expect(rebound.status).toBe(403);
    const lan = lanAddress();
    if (lan !== undefined) {
      // Bound to every interface: the machine's own addresses are the bound address.
      const answer = await get(port, `${lan}:${port}`, '/api/config', {
        authorization: 'Bearer s3cret-token-value',
      });
      expect(answer.status).toBe(200);
    }
  });

  it('LIVECFG_TOKEN works like --token-file', async () => {
    const { port } = await start(['--host', '0.0.0.0'], { LIVECFG_TOKEN: 'env-token-123' });
    const host = `localhost:${port}`;
    expect((await get(port, host)).status).toBe(401);
    expect((await get(port, host, '/api/config', { authorization: 'Bearer env-token-123' })).status).toBe(
      200,
    );
  });

  it('--insecure serves without a token and warns on stderr', async () => {
    const { child, port } = await start(['--host', '0.0.0.0', '--insecure']);
    expect((await get(port, `127.0.0.1:${port}`)).status).toBe(200);
    await child.waitFor(/warning: --insecure/, { stream: 'stderr' });
  });

  it('usage errors exit 2: unreadable or empty token file, a bad --allow-host, serve flags on print', async () => {
    const empty = join(dir.path, 'empty');
    writeFileSync(empty, '\n');
    const cases: Array<[string[], RegExp]> = [
      [
        ['serve', '-f', 'app.yaml', '--token-file', join(dir.path, 'nope')],
        /cannot read the --token-file .*ENOENT/,
      ],
      [['serve', '-f', 'app.yaml', '--token-file', empty], /is empty/],
      [['serve', '-f', 'app.yaml', '--allow-host', 'http://x/'], /--allow-host/],
      [['print', '-f', 'app.yaml', '--insecure'], /--insecure: options of serve only/],
      [['print', '-f', 'app.yaml', '--allow-host', 'x'], /--allow-host: options of serve only/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { cwd: dir.path, env: { LIVECFG_TOKEN: undefined } });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  }, 60_000);
});
