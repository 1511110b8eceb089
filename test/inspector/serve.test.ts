/** `livecfg serve` as a child process: listens, serves the redacted API and live events, stops on a signal. */
import { symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, killAll, ROOT, runCli, startTs, tempDir } from '../examples/child.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { SseClient } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
const clients: SseClient[] = [];

beforeEach(() => {
  dir = tempDir('livecfg-serve-');
  writeFileSync(
    join(dir.path, 'app.yaml'),
    'server:\n  port: 8080\ndb:\n  password: hunter2-db-password\ngreeting: hello\n',
  );
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await killAll();
  dir.remove();
});

async function start(args: string[]) {
  const child = startTs(CLI, ['serve', '-f', 'app.yaml', ...args], { cwd: dir.path });
  const [, url, port] = await child.waitFor(/^inspector on (http:\/\/127\.0\.0\.1:(\d+)\/)$/m, {
    timeoutMs: 15_000,
  });
  return { child, url: url as string, port: Number(port) };
}

describe('livecfg serve', () => {
  it('--port 0 picks a free port, prints it, serves the redacted API and live events, stops on SIGINT within a second', async () => {
    const { child, url, port } = await start(['--port', '0', '--secret', 'greeting']);
    expect(port).toBeGreaterThan(0);
    const response = await fetch(`${url}api/config`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text)).toEqual({
      version: 1,
      value: { server: { port: 8080 }, db: { password: '[redacted]' }, greeting: '[redacted]' },
    });
    expect((await fetch(url)).headers.get('content-type')).toBe('text/html; charset=utf-8');

    const client = await SseClient.connect(`${url}api/events`);
    clients.push(client);
    writeFileSync(join(dir.path, 'app.yaml'), 'server:\n  port: 9090\ngreeting: bye\n');
    await client.until(() => client.data('change').length > 0, 'a change event');
    expect(client.data('change')[0]).toMatchObject({ version: 2 });
    expect(JSON.stringify(client.events)).not.toContain('bye');

    // An open stream does not hold up the shutdown.
    const exit = await child.stop('SIGINT');
    expect(exit).toMatchObject({ code: 0, signal: null });
    await client.untilEnded();
  });

  it('--schema: validated and coerced values, schema-marked and listed secrets redacted', async () => {
    symlinkSync(join(ROOT, 'node_modules'), join(dir.path, 'node_modules'), 'dir');
    writeFileSync(
      join(dir.path, 'schema.ts'),
      [
        "import { z } from 'zod';",
        'export const Schema = z.object({',
        '  server: z.object({ port: z.coerce.number().int() }),',
        '  db: z.object({ password: z.string() }),',
        '  greeting: z.string().meta({ secret: true }),',
        '  region: z.string().default("eu-west-1"),',
        '});',
        "export const secrets = ['region'];",
        '',
      ].join('\n'),
    );
    const { child, url } = await start(['--schema', 'schema.ts#Schema', '--port', '0']);
    const text = await (await fetch(`${url}api/config`)).text();
    expect(JSON.parse(text)).toEqual({
      version: 1,
      value: {
        server: { port: 8080 },
        db: { password: '[redacted]' },
        greeting: '[redacted]',
        region: '[redacted]',
      },
    });
    expect(text).not.toMatch(/hunter2|hello|eu-west-1/);
    // The drawer's schema facts come from the same schema; a listed secret's default is not sent.
    const port = (await (await fetch(`${url}api/explain?path=server.port`)).json()) as { schema: unknown };
    expect(port.schema).toMatchObject({ declared: true, type: 'integer', secret: false });
    const region = await (await fetch(`${url}api/explain?path=region`)).text();
    expect(JSON.parse(region).schema).toMatchObject({ declared: true, type: 'string', secret: true });
    expect(region).not.toContain('eu-west-1');
    expect(await child.stop('SIGTERM')).toMatchObject({ code: 0 });
  });

  it('stops on SIGTERM within a second', async () => {
    const { child } = await start(['-p', '0']);
    const exit = await child.stop('SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(withoutNodeWarnings(child.stderr)).toBe('');
  });

  it('a taken port is an error (exit 1) naming the address', async () => {
    const blocker: Server = await new Promise((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
    try {
      const { port } = blocker.address() as { port: number };
      const result = await runCli(['serve', '-f', 'app.yaml', '--port', String(port)], { cwd: dir.path });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('usage errors: a bad --port, --show-secrets with serve, --port with another command', async () => {
    for (const args of [
      ['serve', '-f', 'app.yaml', '--port', 'http'],
      ['serve', '-f', 'app.yaml', '--port', '70000'],
      ['serve', '-f', 'app.yaml', '--show-secrets'],
      ['print', '-f', 'app.yaml', '--port', '1'],
    ]) {
      const result = await runCli(args, { cwd: dir.path });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/--port|serve never shows secrets/);
    }
  });
});
