/**
 * The inspector page in headless Chromium against a 10,000-value config (a real YAML file, a real
 * server on loopback, the system Chromium): first render, file write → value visible (p50/p99), the
 * longest main-thread task during updates, search keystroke → filtered frame, and bytes on the wire
 * per change (1 vs 10 changed values). Run alone: `npx tsx bench/inspector-page.ts` (and note `uptime`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { file, loadConfig } from '../src/index.js';
import { type InspectedConfig, inspector } from '../src/inspector/index.js';
import { isMain } from './harness.js';
import { type BenchRow, ms } from './rows/types.js';

const GROUPS = 100;
const KEYS = 100;
const EDITS = Number(process.env.EDITS ?? 40);

/** 10,000 values: g0..g99, each with k0..k99; `overrides` replaces some values. */
function yaml(overrides: Map<string, string>): string {
  const lines: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    lines.push(`g${g}:`);
    for (let k = 0; k < KEYS; k++)
      lines.push(`  k${k}: ${overrides.get(`g${g}.k${k}`) ?? `value-${g}-${k}`}`);
  }
  return `${lines.join('\n')}\n`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** Page-side probes: first render time, long tasks, when a row's value shows a text, search frames. */
const PROBES = `
  window.__long = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
  window.__firstRender = 0;
  const first = new MutationObserver(() => {
    const count = document.getElementById('count');
    if (count && /values/.test(count.textContent)) {
      window.__firstRender = performance.now();
      first.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () => first.observe(document.body, { subtree: true, childList: true, characterData: true }));
  window.__waitValue = (path, text) => new Promise((resolve) => {
    const check = () => {
      const row = document.querySelector('[data-path="' + path + '"] .val');
      if (row && row.textContent === JSON.stringify(text)) { observer.disconnect(); resolve(Date.now()); return true; }
      return false;
    };
    const observer = new MutationObserver(check);
    if (!check()) observer.observe(document.getElementById('rows') || document.getElementById('tree'), { subtree: true, childList: true, characterData: true });
  });
  window.__search = (text) => new Promise((resolve) => {
    const input = document.getElementById('search');
    const count = document.getElementById('count');
    const before = count.textContent;
    const start = performance.now();
    const observer = new MutationObserver(() => {
      if (count.textContent === before) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - start));
    });
    observer.observe(count, { subtree: true, childList: true, characterData: true });
    input.value = text;
    input.dispatchEvent(new Event('input'));
  });
`;

type InspectorFactory = (config: InspectedConfig) => ((...args: never[]) => void) & { close(): void };

/** Resolves when `read()` differs from `before`, or after `ms` (the CDP byte counts trail the page a little). */
async function settled(read: () => number, before: number, ms = 2000): Promise<number> {
  const deadline = Date.now() + ms;
  while (read() === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return read() - before;
}

/** What one session measured (milliseconds and bytes). */
interface PageMeasures {
  firstRender: number;
  domNodes: number;
  configBytes: number;
  p50: number;
  p99: number;
  pageP50: number;
  pageP99: number;
  longest: number;
  longCount: number;
  refetched: number;
  search: number;
  bytesOne: number;
  bytesTen: number;
}

/**
 * One measured session against one inspector: setup, then the measures in a fixed order (each reads
 * the state the previous one left). Longer than ~60 lines because the order is the point.
 */
async function measurePage(makeInspector: InspectorFactory): Promise<PageMeasures> {
  const dir = await mkdtemp(join(tmpdir(), 'livecfg-page-bench-'));
  const path = join(dir, 'big.yaml');
  const overrides = new Map<string, string>();
  await writeFile(path, yaml(overrides));
  const config = await loadConfig({ sources: [file(path)], debounceMs: 0 });
  const handler = makeInspector(config);
  const server = createServer(handler as never);
  const published = new Map<number, number>();
  config.changes$.subscribe((change) => published.set(change.version, Date.now()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    userDataDir: join(dir, 'profile'),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    const bytes = new Map<string, number>();
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
    cdp.on('Network.dataReceived', (event) => {
      const target = urls.get(event.requestId) ?? '';
      const key = target.includes('api/config') ? 'config' : 'other';
      bytes.set(key, (bytes.get(key) ?? 0) + event.encodedDataLength);
    });
    // SSE bytes: each message as it came (its data, name and id; the framing adds ~20 bytes).
    cdp.on('Network.eventSourceMessageReceived', (event) => {
      const size = Buffer.byteLength(event.data) + event.eventName.length + event.eventId.length;
      bytes.set('events', (bytes.get('events') ?? 0) + size);
    });
    await page.evaluateOnNewDocument(PROBES);
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction('window.__firstRender > 0', { timeout: 30_000 });
    const firstRender = (await page.evaluate('window.__firstRender')) as number;
    await page.waitForFunction(
      `(document.getElementById('health') || document.getElementById('status')).textContent === 'live'`,
      { timeout: 30_000 },
    );
    const configBytes = bytes.get('config') ?? 0;
    const domNodes = (await page.evaluate('document.getElementsByTagName("*").length')) as number;

    // File write → value visible, for a value in view (g0 is open: top-level branches are).
    await page.evaluate('window.__long.length = 0');
    const latencies: number[] = [];
    const pageParts: number[] = [];
    const perChange: number[] = [];
    for (let n = 0; n < EDITS; n++) {
      const key = `g0.k${n % 20}`;
      const text = `edit-${n}`;
      overrides.set(key, text);
      const visible = page.evaluate(`window.__waitValue(${JSON.stringify(key)}, ${JSON.stringify(text)})`);
      const before = bytes.get('events') ?? 0;
      const t0 = Date.now();
      await writeFile(path, yaml(overrides));
      const shown = (await visible) as number;
      latencies.push(shown - t0);
      pageParts.push(shown - (published.get(config.version) ?? shown));
      perChange.push(await settled(() => bytes.get('events') ?? 0, before));
    }
    const longTasks = (await page.evaluate('window.__long')) as number[];
    const refetched = (bytes.get('config') ?? 0) - configBytes;

    // Bytes per change: one value vs ten values changed in one write.
    const before10 = bytes.get('events') ?? 0;
    for (let k = 20; k < 30; k++) overrides.set(`g0.k${k}`, `ten-${k}`);
    const visible10 = page.evaluate(`window.__waitValue('g0.k29', 'ten-29')`);
    await writeFile(path, yaml(overrides));
    await visible10;
    const tenBytes = await settled(() => bytes.get('events') ?? 0, before10);

    // Search keystroke → filtered frame (the debounce included).
    const searches: number[] = [];
    for (const text of ['k4', 'k42', 'value-7', 'value-77-1', 'edit', '']) {
      searches.push((await page.evaluate(`window.__search(${JSON.stringify(text)})`)) as number);
    }
    return {
      firstRender,
      domNodes,
      configBytes,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      pageP50: percentile(pageParts, 50),
      pageP99: percentile(pageParts, 99),
      longest: Math.max(0, ...longTasks),
      longCount: longTasks.length,
      refetched,
      search: Math.max(...searches),
      bytesOne: percentile(perChange, 50),
      bytesTen: tenBytes,
    };
  } finally {
    await browser.close();
    handler.close();
    server.closeAllConnections();
    server.close();
    await config.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function table(label: string, m: PageMeasures): string {
  const rows = [
    ['first render (navigation → rows shown)', `${m.firstRender.toFixed(0)} ms`, '≤ 500 ms'],
    ['DOM elements after first render', `${m.domNodes}`, 'windowed'],
    ['/api/config?origins=1 on the wire', `${(m.configBytes / 1024).toFixed(0)} KiB`, '(compressed)'],
    [`file write → value visible p50 / p99 (${EDITS} edits)`, `${m.p50} / ${m.p99} ms`, '≤ 150 / ≤ 400 ms'],
    ['  of which published → visible (page) p50 / p99', `${m.pageP50} / ${m.pageP99} ms`, ''],
    [
      'longest main-thread task during updates',
      `${m.longest.toFixed(0)} ms (${m.longCount} over 50 ms)`,
      '≤ 50 ms',
    ],
    ['config bytes refetched during the edits', `${m.refetched} B`, '0 (patched)'],
    ['search keystroke → filtered frame, max of 6', `${m.search.toFixed(0)} ms`, '≤ 50 ms'],
    ['bytes per change, 1 value / 10 values', `${m.bytesOne} / ${m.bytesTen} B`, 'proportional'],
  ];
  return [`${label}: 10,000 values, headless Chromium`, '| measure | result | goal |', '|---|---|---|']
    .concat(rows.map(([name, result, goal]) => `| ${name} | ${result} | ${goal} |`))
    .join('\n');
}

let session: Promise<PageMeasures> | undefined;
/** One browser session serves all the page rows of a run. */
const measured = () => {
  session ??= measurePage(inspector as unknown as InspectorFactory);
  return session;
};

/** bench/README.md's page rows (issue 23), all from one headless-Chromium session. */
export const rows: BenchRow[] = [
  {
    id: 'page-first-render',
    operation: 'inspector page, 10,000 values, headless Chromium: navigation → rows shown',
    peer: '—',
    goal: '≤ 500 ms',
    async run() {
      const m = await measured();
      return {
        figure: `${ms(m.firstRender)} (${m.domNodes} DOM elements; ${(m.configBytes / 1024).toFixed(0)} KiB of /api/config)`,
        met: m.firstRender <= 500,
        why:
          'from navigation start: Chromium loading the page and its script, the first `/api/config?origins=1` body ' +
          '(server side ~30–60 ms, row inspector-first-get), then the page building its model of 10,000 values; ' +
          'meeting 500 ms needs a profile of the page script on a first load (its model is built before the first paint)',
        numbers: { firstRender: m.firstRender },
      };
    },
  },
  {
    id: 'page-update',
    operation: `inspector page: file write → value visible on the open page (${EDITS} edits), longest main-thread task`,
    peer: '—',
    goal: 'p50 ≤ 150 ms, p99 ≤ 400 ms; long tasks ≤ 50 ms',
    async run() {
      const m = await measured();
      return {
        figure: `p50 ${ms(m.p50)}, p99 ${ms(m.p99)} (page part p50 ${ms(m.pageP50)}); ${m.longCount === 0 ? 'no main-thread task over 50 ms' : `longest task ${ms(m.longest)}`}`,
        met: m.p50 <= 150 && m.p99 <= 400 && m.longest <= 50,
        why:
          'the page\'s part is the "page part"; the rest is the file watch, the YAML parse of 10,000 values ' +
          '(~140 ms alone, row reload-yaml-10k) and publishing: meeting 150 ms with this YAML file needs a faster YAML parse',
        numbers: { p50: m.p50, p99: m.p99, longest: m.longest },
      };
    },
  },
  {
    id: 'page-search',
    operation: 'inspector page: search keystroke → filtered frame (max of 6 searches)',
    peer: '—',
    goal: '≤ 50 ms',
    async run() {
      const m = await measured();
      return { figure: ms(m.search), met: m.search <= 50, numbers: { search: m.search } };
    },
  },
  {
    id: 'page-bytes',
    operation:
      'inspector page: bytes on the wire per change, 1 value vs 10 values changed (and config refetched)',
    peer: '—',
    goal: 'proportional to the change, not to the config',
    async run() {
      const m = await measured();
      return {
        figure: `${m.bytesOne} B / ${m.bytesTen} B; ${m.refetched} B of config refetched`,
        met: m.refetched === 0 && m.bytesTen < 20 * m.bytesOne,
        numbers: { one: m.bytesOne, ten: m.bytesTen, refetched: m.refetched },
      };
    },
  },
];

// Alone: `npx tsx bench/inspector-page.ts`. PEER=<path of another inspector module> (e.g. the 0.2 page
// of a main checkout) runs the same measures on it.
if (isMain(import.meta.url)) {
  console.log(table('this page', await measured()));
  if (process.env.PEER) {
    const peer = (await import(process.env.PEER)) as { inspector: InspectorFactory };
    console.log(table(`peer ${process.env.PEER}`, await measurePage(peer.inspector)));
  }
}
