/**
 * Worker thread of bench/inspector.bench.ts: opens `clients` SSE streams to `url` and, for each change
 * version, posts the absolute time (timeOrigin + now, comparable across threads) at which every client
 * had its event. Runs apart from the server's event loop, as real clients would.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, clients } = workerData;
const agent = new Agent({ keepAlive: false, maxSockets: clients + 10 });
const now = () => performance.timeOrigin + performance.now();
/** version → arrival times of its event, one per client */
const arrivals = new Map();
const responses = [];

function onChange(version) {
  const at = now();
  const times = arrivals.get(version) ?? [];
  times.push(at);
  arrivals.set(version, times);
  if (times.length === clients) {
    arrivals.delete(version);
    parentPort.postMessage({ type: 'change', version, times });
  }
}

function connect() {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`HTTP ${response.statusCode}`));
        return;
      }
      responses.push(response);
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(block);
          if (id && block.includes('\nevent: change\n')) onChange(Number(id[1]));
          end = buffer.indexOf('\n\n');
        }
      });
      resolve();
    });
    req.on('error', reject);
    req.end();
  });
}

for (let opened = 0; opened < clients; opened += 50) {
  await Promise.all(Array.from({ length: Math.min(50, clients - opened) }, connect));
}
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  for (const response of responses) response.destroy();
  agent.destroy();
  parentPort.close();
});
