/** An http() source never keeps the process alive: not while polling, not while the server holds a long poll. */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('a process whose long poll is held by the server exits by itself', async () => {
  let held = 0;
  let release: () => void = () => undefined;
  const server = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').searchParams.has('wait')) {
      held++;
      release(); // the child's long poll is held: let the child's script end
      return; // held until the client goes away
    }
    res.writeHead(200, { 'content-type': 'application/json', etag: '"1"' }).end('{"a":1}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app.json`;
  try {
    const child = fileURLToPath(new URL('../fixtures/http-alive-child.ts', import.meta.url));
    const proc = spawn(process.execPath, ['--import', 'tsx', child, url], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    release = () => proc.stdin.end();
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(killer);
    expect(proc.signalCode, `the process did not exit by itself:\n${stderr}`).toBeNull();
    expect(code).toBe(0);
    expect(held).toBeGreaterThanOrEqual(1);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}, 30_000);
