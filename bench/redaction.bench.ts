/**
 * Redaction cost against the number of secret leaves (issue 26 item 7, issue 21 "Redaction memoised per
 * key and per version"): for 2k, 4k and 8k secret leaves (each beside a plain string leaf, which is
 * what gets scanned for secret texts), the first `config.redact(config.value)` after a change, and the
 * first inspector `GET /api/config` after a change, over a real loopback HTTP server. Standalone:
 *
 *   npx tsx bench/redaction.bench.ts            (in a checkout; prints a table and the load)
 *   npx tsx bench/redaction.bench.ts --json     (one JSON line per size, for bench/rows/standalone.ts)
 *
 * It uses only the public API (`loadConfig`, `memory`, `config.redact`, `livecfg/inspector`), so the
 * same file runs on an older commit for the "before" figures. Medians of `RUNS` alternating versions.
 * Beside wall time, the process's CPU time (user + system) of the same span: on a shared, loaded
 * machine it says more than the wall clock (the HTTP client runs in the same process).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadConfig, memory } from '../src/index.js';
import { inspector } from '../src/inspector/index.js';

const SIZES = (process.env.SIZES ?? '2000,4000,8000').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 3);

/** `n` services, each with a secret (`password`) and a plain string that is scanned for secret texts. */
function tree(n: number, round: number): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (let index = 0; index < n; index++) {
    services[`svc${index}`] = {
      password: `pw-${round}-${index}-${(index * 7919 + round * 104729).toString(36)}-x`,
      host: `svc${index}.r${round}.internal`,
    };
  }
  return { services };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

interface Figures {
  redact: number;
  redactCpu: number;
  apiConfig: number;
  apiCpu: number;
  bytes: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function measure(n: number): Promise<Figures> {
  const source = memory(tree(n, 0));
  const config = await loadConfig({ sources: [source], debounceMs: 0, history: 10 });
  const handler = inspector(config);
  const server = createServer(handler);
  const url = await listen(server);
  const redactTimes: number[] = [];
  const redactCpu: number[] = [];
  const apiTimes: number[] = [];
  const apiCpu: number[] = [];
  let bytes = 0;
  const change = () =>
    new Promise<void>((resolve) => {
      const subscription = config.changes$.subscribe(() => {
        subscription.unsubscribe();
        resolve();
      });
    });
  try {
    let round = 1;
    for (let run = 0; run < RUNS; run++) {
      let changed = change();
      source.update(tree(n, round++));
      await changed;
      let start = performance.now();
      let cpu = process.cpuUsage();
      config.redact(config.value);
      redactTimes.push(performance.now() - start);
      redactCpu.push(cpuMs(cpu));

      changed = change();
      source.update(tree(n, round++));
      await changed;
      start = performance.now();
      cpu = process.cpuUsage();
      const body = await (await fetch(`${url}/api/config`)).text();
      apiTimes.push(performance.now() - start);
      apiCpu.push(cpuMs(cpu));
      bytes = body.length;
      if (body.includes(`pw-${round - 1}-`)) throw new Error('a password leaked: the bench measures nothing');
    }
  } finally {
    handler.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await config.close();
  }
  return {
    redact: median(redactTimes),
    redactCpu: median(redactCpu),
    apiConfig: median(apiTimes),
    apiCpu: median(apiCpu),
    bytes,
  };
}

// One untimed round first, so that the first size does not pay for the JIT warming up.
await measure(SIZES[0] as number);
const [load1] = loadavg();
if (process.argv.includes('--json')) {
  for (const n of SIZES) console.log(JSON.stringify({ secretLeaves: n, ...(await measure(n)) }));
} else {
  console.log(
    `redaction bench: node ${process.version}, load ${load1?.toFixed(2)}, ${RUNS} runs per size (median)`,
  );
  console.log(
    '| secret leaves | first redact() after a change: wall (CPU ms) | first GET /api/config after a change: wall (CPU ms) | body |',
  );
  console.log('|---:|---:|---:|---:|');
  for (const n of SIZES) {
    const result = await measure(n);
    console.log(
      `| ${n} | ${result.redact.toFixed(1)} ms (${result.redactCpu.toFixed(0)}) | ${result.apiConfig.toFixed(1)} ms (${result.apiCpu.toFixed(0)}) | ${(result.bytes / 1024).toFixed(0)} KiB |`,
    );
  }
  console.log(`load after: ${loadavg()[0]?.toFixed(2)}`);
}
