/**
 * The inspector's goals: file edit → SSE event at a connected client; 1,000 connected SSE clients and
 * one change; `/api/config` for a 10,000-leaf config. Real files, real sockets on loopback, one process.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type Config, file, loadConfig, memory } from '../src/index.js';
import { type Inspector, inspector } from '../src/inspector/index.js';
import { makeTree } from './fixtures.js';
import { isMain, median, summarizeLatency } from './harness.js';

/** One row of the benchmark table, with its raw numbers (milliseconds). */
export interface InspectorRow {
  name: string;
  livecfg: string;
  peer: string;
  goal: string;
  numbers: Record<string, number>;
}

const EDITS = 200;
const CLIENTS = 1000;
const FANOUT_ROUNDS = 40;
const REQUESTS = 300;

const ms = (value: number): string => `${value.toFixed(2)} ms`;

async function serve(
  config: Config,
  maxStreams = 100,
): Promise<{ server: Server; url: string; handler: Inspector }> {
  const handler = inspector(config, { maxStreams });
  const server = createServer(handler);
  server.maxConnections = maxStreams + 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 511 * 4, resolve));
  return { server, handler, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(server: Server, handler: Inspector, config: Config): Promise<void> {
  handler.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await config.close();
}

/**
 * A minimal SSE reader: calls `onChange(version, at)` with `performance.now()` for each change event.
 * Resolves once the stream is open.
 */
function subscribe(
  url: string,
  agent: Agent,
  onChange: (version: number, at: number) => void,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/events`, { agent }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode}`));
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(block);
          if (id && block.includes('\nevent: change\n')) onChange(Number(id[1]), at);
          end = buffer.indexOf('\n\n');
        }
      });
      resolve(response);
    });
    req.on('error', reject);
    req.end();
  });
}

/** File write → `event: change` at a connected SSE client, over {@link EDITS} sequential edits. */
async function editToEvent(): Promise<InspectorRow> {
  const dir = await mkdtemp(join(tmpdir(), 'livecfg-bench-inspector-'));
  const path = join(dir, 'app.yaml');
  const body = 'server:\n  host: localhost\n  port: 8080\ndb:\n  password: hunter2\n';
  await writeFile(path, `${body}counter: 0\n`);
  const config = await loadConfig({ sources: [file(path)] });
  const { server, url, handler } = await serve(config);
  const agent = new Agent({ keepAlive: false });
  const waiting = new Map<number, (at: number) => void>();
  const stream = await subscribe(url, agent, (version, at) => waiting.get(version)?.(at));
  const latencies: number[] = [];
  try {
    for (let counter = 1; counter <= EDITS + 20; counter++) {
      const version = config.version + 1;
      const arrived = new Promise<number>((resolve) => waiting.set(version, resolve));
      await writeFile(path, `${body}counter: ${counter}\n`);
      const written = performance.now();
      const at = await arrived;
      waiting.delete(version);
      if (counter > 20) latencies.push(Math.max(0, at - written)); // 20 warm-up edits
    }
  } finally {
    stream.destroy();
    await stop(server, handler, config);
    agent.destroy();
    await rm(dir, { recursive: true, force: true });
  }
  const { p50Ms, p99Ms, maxMs, samples } = summarizeLatency(latencies);
  return {
    name: `inspector: file edit → SSE event at a client (${EDITS} edits)`,
    livecfg: `p50 ${ms(p50Ms)}, p99 ${ms(p99Ms)}`,
    peer: `max ${ms(maxMs)}`,
    goal: 'p99 ≤ 20 ms',
    numbers: { p50Ms, p99Ms, maxMs, samples },
  };
}

/**
 * {@link CLIENTS} connected SSE clients (in a worker thread, apart from the server's event loop, as
 * real clients are), one change (memory.update): the time until each client has the event.
 */
async function fanout(): Promise<InspectorRow> {
  const source = memory({ counter: 0, db: { password: 'hunter2' } });
  const config = await loadConfig({ sources: [source], debounceMs: 0 });
  const { server, url, handler } = await serve(config, CLIENTS);
  const worker = new Worker(new URL('./inspector-sse-clients.mjs', import.meta.url), {
    workerData: { url: `${url}/api/events`, clients: CLIENTS },
  });
  const arrivals = new Map<number, (times: number[]) => void>();
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (message: { type: string; version: number; times: number[] }) => {
      if (message.type === 'ready') resolve();
      else arrivals.get(message.version)?.(message.times);
    });
  });
  const latencies: number[] = [];
  const lastOf: number[] = [];
  const written: number[] = [];
  const now = (): number => performance.timeOrigin + performance.now();
  let started = 0;
  // Subscribed after the inspector's own subscriber: runs once the event is written to every socket.
  const afterBroadcast = config.changes$.subscribe(() => written.push(now() - started));
  try {
    await ready;
    while (handler.streams < CLIENTS) await new Promise((resolve) => setImmediate(resolve));
    for (let counter = 1; counter <= FANOUT_ROUNDS + 2; counter++) {
      const version = config.version + 1;
      const all = new Promise<number[]>((resolve) => arrivals.set(version, resolve));
      started = now();
      source.update({ counter, db: { password: 'hunter2' } });
      const times = await all;
      if (counter <= 2) continue; // warm-up
      const round = times.map((at) => at - started);
      latencies.push(...round);
      lastOf.push(Math.max(...round));
    }
  } finally {
    afterBroadcast.unsubscribe();
    worker.postMessage('stop');
    await new Promise((resolve) => worker.once('exit', resolve));
    await stop(server, handler, config);
  }
  const { p50Ms, p99Ms, maxMs, samples } = summarizeLatency(latencies);
  return {
    name: `inspector: ${CLIENTS.toLocaleString('en')} SSE clients, one change (${FANOUT_ROUNDS} changes)`,
    livecfg: `p50 ${ms(p50Ms)}, p99 ${ms(p99Ms)}`,
    peer: `last client: median ${ms(median(lastOf))}, max ${ms(maxMs)}; update → written to all sockets: median ${ms(median(written.slice(2)))}`,
    goal: 'p99 ≤ 100 ms',
    numbers: {
      p50Ms,
      p99Ms,
      maxMs,
      lastClientMedianMs: median(lastOf),
      writtenMedianMs: median(written.slice(2)),
      samples,
    },
  };
}

function fetchBody(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.on('end', () => resolve(bytes));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `GET /api/config` of a 10,000-leaf config over a keep-alive connection: time per request. */
async function apiConfig(): Promise<InspectorRow> {
  const config = await loadConfig({ sources: [memory(makeTree(10_000))], watch: false });
  const { server, url, handler } = await serve(config);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  let bytes = 0;
  let first = 0;
  try {
    const start = performance.now();
    bytes = await fetchBody(`${url}/api/config`, agent); // builds the cache: redact + serialise once
    first = performance.now() - start;
    for (let index = 0; index < REQUESTS + 20; index++) {
      const begin = performance.now();
      await fetchBody(`${url}/api/config`, agent);
      if (index >= 20) times.push(performance.now() - begin);
    }
  } finally {
    await stop(server, handler, config);
    agent.destroy();
  }
  const { p50Ms, p99Ms } = summarizeLatency(times);
  return {
    name: 'inspector: GET /api/config, 10,000 leaves (keep-alive, sequential)',
    livecfg: `p50 ${ms(p50Ms)}, p99 ${ms(p99Ms)} per request`,
    peer: `${Math.round(bytes / 1024)} KB; first request (redact + serialise) ${ms(first)}`,
    goal: '≤ 5 ms per request',
    numbers: { p50Ms, p99Ms, firstMs: first, bytes },
  };
}

/** Runs the three measurements; returns their rows (also used by bench/run.ts). */
export async function run(): Promise<InspectorRow[]> {
  return [await editToEvent(), await fanout(), await apiConfig()];
}

if (isMain(import.meta.url)) {
  const rows = await run();
  console.log('| benchmark | livecfg | detail | goal |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.name} | ${row.livecfg} | ${row.peer} | ${row.goal} |`);
  console.log(`\n${JSON.stringify(Object.fromEntries(rows.map((row) => [row.name, row.numbers])), null, 2)}`);
}
