/**
 * Child process of stall.bench.ts: loads one big file while timing the event loop, prints JSON.
 * Usage: node --import tsx bench/stall/child.ts <main|worker|idle> <file>
 * - main: the whole document parsed on the main thread (`workerThresholdBytes: Infinity`)
 * - worker: the default (a document ≥ 1 MiB is parsed in a worker thread)
 * - idle: no load at all for the same time span, the machine's noise floor
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { file, loadConfig } from '../../src/index.js';

const [mode, path] = process.argv.slice(2) as [string, string];
const histogram = monitorEventLoopDelay({ resolution: 1 });
let longest = 0;
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  longest = Math.max(longest, now - last);
  last = now;
}, 1);
histogram.enable();
const started = performance.now();
let readMs = 0;
let readGapMs = 0;
if (mode === 'idle') {
  await new Promise((resolve) => setTimeout(resolve, Number(process.argv[4] ?? 3000)));
} else {
  // The source's read alone (read + parse: the file source's part), then the whole loadConfig
  // (the same again, plus the loader's merge, provenance and deep freeze of the tree).
  const source = file(path, mode === 'main' ? { workerThresholdBytes: Number.POSITIVE_INFINITY } : {});
  await source.read();
  await source.close?.();
  readMs = performance.now() - started;
  readGapMs = Math.max(longest, performance.now() - last);
  const config = await loadConfig({
    sources: [file(path, mode === 'main' ? { workerThresholdBytes: Number.POSITIVE_INFINITY } : {})],
    watch: false,
  });
  await config.close();
}
const totalMs = performance.now() - started;
histogram.disable();
clearInterval(ticker);
console.log(
  JSON.stringify({
    mode,
    longestGapMs: longest,
    readGapMs,
    eventLoopDelayMaxMs: histogram.max / 1e6,
    readMs,
    totalMs,
  }),
);
