/**
 * A huge Consul KV answer (issue 11, item 7 for KV bodies): the longest event-loop stall and the heap
 * growth while a source reads a 100 MB answer. With the default 32 MiB limit the read fails early.
 * Run: `npx tsx bench/consul-body.ts [megabytes=100] [srcDir=../src]`.
 */
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const megabytes = Number(process.argv[2] ?? 100);
const srcDir = process.argv[3] ?? new URL('../src', import.meta.url).pathname;
const { consul } = (await import(
  `${srcDir}/sources/consul.ts`
)) as typeof import('../src/sources/consul/consul.js');

// The server runs in a child process, so that only the source's work shows in this process's stalls.
const serverCode = `
const value = Buffer.from('x'.repeat(1024 * 1024)).toString('base64');
const count = ${Math.ceil(megabytes / 1.34)};
const server = require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'x-consul-index': '5' });
  let index = 0;
  const more = () => {
    while (index < count) {
      const ok = res.write((index ? ',' : '[') + '{"Key":"big/k' + index + '","Value":"' + value + '","ModifyIndex":5}');
      index++;
      if (!ok) return res.once('drain', more);
    }
    res.end(']');
  };
  res.on('close', () => { index = count; });
  more();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;
const child = spawn(process.execPath, ['-e', serverCode], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) =>
  child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))),
);
const source = consul({ prefix: 'big/', host: '127.0.0.1', port, environ: () => ({}), timeout: 120_000 });
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const started = performance.now();
const outcome = await source.read().then(
  (changeSet) => `read ${Object.keys(changeSet.data).length} keys`,
  (error: Error & { code?: string }) => `${error.code}: ${error.message.slice(0, 90)}`,
);
const elapsedMs = Math.round(performance.now() - started);
delay.disable();
const heapGrowthMiB = Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
console.log(
  JSON.stringify({
    megabytes,
    elapsedMs,
    maxStallMs: Math.round(delay.max / 1e6),
    heapGrowthMiB,
    outcome,
    src: srcDir,
  }),
);
await source.close();
child.kill();
