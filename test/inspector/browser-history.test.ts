/**
 * The inspector page's history and drawer in headless Chromium: a `#path` deep link opens the drawer,
 * timeline entries open their key, "+N more" counts what a big change did not list, a diff between
 * two versions held in history, export of the redacted tree, pause/resume, a file that is gone marked
 * with the values it still holds, and a restarted service recognised by its new instance id.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Config, file, loadConfig } from '../../src/index.js';
import { type Inspector, inspector } from '../../src/inspector/index.js';
import { CLI, killAll, startTs } from '../examples/child.js';
import { closeSetup, launch, nextError, publish, shows, textOf, until } from './browser-helpers.js';
import { listen } from './helpers.js';

const keys = (n: number, prefix: string): string =>
  Array.from({ length: n }, (_, i) => `  k${i}: ${prefix}-${i}`).join('\n');
const yaml = (port: number, bulk = 'a'): string =>
  `server:\n  port: ${port}\ndb:\n  password: hunter2-db-password\nbulk:\n${keys(130, bulk)}\n`;

let browser: Browser | undefined;
let page: Page;
let dir: string;
let path: string;
let extra: string;
let config: Config;
let handler: Inspector;
let server: Server;
let url: string;

/** Resolves when a file shows up (downloads), within a deadline. */
async function fileAppears(target: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(target)) {
    if (Date.now() > deadline) throw new Error(`${target} did not appear within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await until(page, 'true'); // one round trip: the browser has finished writing it
  return readFileSync(target, 'utf8');
}

describe('inspector page history and drawer', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livecfg-history-'));
    path = join(dir, 'app.yaml');
    extra = join(dir, 'extra.yaml');
    await writeFile(path, yaml(8080));
    await writeFile(extra, 'feature:\n  flag: on-from-extra\n');
    config = await loadConfig({ sources: [file(path), file(extra)], debounceMs: 0 });
    handler = inspector(config);
    ({ server, url } = await listen(handler));
    browser = await launch(dir);
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
  }, 60_000);

  afterAll(() => closeSetup({ browser, handler, server, config, dir }));
  afterEach(() => killAll());

  it('a #path deep link opens the drawer; timeline entries open their key; "+N more"; a diff of two versions', async () => {
    await page.goto(`${url}/#server.port`, { waitUntil: 'domcontentloaded' });
    await until(page, `document.getElementById('details').innerText.includes('server.port')`);
    expect(await page.$eval('#drawer', (node) => node.className)).toContain('open');
    await until(page, `document.getElementById('health').textContent === 'live'`);

    await publish(config, path, yaml(9090));
    await publish(config, path, yaml(9090, 'b')); // 130 values: the history lists 100, "more" counts 30
    await until(page, `document.getElementById('timeline').innerText.includes('+110 more')`);
    await shows(page, '"b-0"'); // the page reloaded the tree (a change with "more" is not patched)

    await page.evaluate(
      `[...document.querySelectorAll('#timeline button')].find((b) => b.textContent === 'server.port').click()`,
    );
    await until(page, `document.getElementById('details').innerText.includes('History of this key')`);
    const details = await textOf(page, 'details');
    expect(details).toMatch(/v2[\s\S]*8080[\s\S]*9090/); // the key's own history, old → new
    expect(await page.evaluate('location.hash')).toBe('#server.port');

    await page.select('#diff-from', '1');
    await page.select('#diff-to', '3');
    await page.click('#diff-show');
    await until(page, `document.getElementById('diff').innerText.includes('between v1 and v3')`);
    const diff = await textOf(page, 'diff');
    expect(diff).toContain('server.port');
    expect(diff).toContain('(at least'); // v3 listed 100 of 130 paths
  }, 60_000);

  it('exports the redacted tree as JSON and YAML; pause holds updates until resume', async () => {
    await page.click('#export-json');
    const json = JSON.parse(await fileAppears(join(dir, `config-v${config.version}.json`))) as {
      value: { db: { password: string }; server: { port: number } };
    };
    expect(json.value.db.password).toBe('[redacted]');
    expect(json.value.server.port).toBe(9090);
    await page.click('#export-yaml');
    const text = await fileAppears(join(dir, `config-v${config.version}.yaml`));
    expect(text).toContain('  password: "[redacted]"');
    expect(text).not.toContain('hunter2');

    await page.click('#pause');
    await until(page, `document.getElementById('pause').getAttribute('aria-pressed') === 'true'`);
    await publish(config, path, yaml(7070, 'b'));
    await until(page, `document.getElementById('pause').textContent === 'Resume (1)'`);
    expect(await page.$eval('[data-path="server.port"] .val', (node) => node.textContent)).toBe('9090');
    await page.click('#pause');
    await until(page, `document.querySelector('[data-path="server.port"] .val').textContent === '7070'`);
  }, 60_000);

  it('a deleted file is marked gone, and so are the values it still holds', async () => {
    const missing = nextError(config);
    await unlink(extra);
    await missing;
    await until(page, `document.getElementById('sources').innerText.includes('file gone')`);
    expect(await page.$eval('[data-path="server.port"]', (node) => node.className)).not.toContain('gone');
    // The filter "From a file that is gone" lists exactly the values it still holds.
    await page.select('#filter', 'gone');
    await until(page, `document.querySelector('.row.gone[data-path="feature.flag"]') !== null`);
    expect(await page.$eval('[data-path="feature.flag"]', (node) => node.textContent)).toContain(
      '(file gone)',
    );
    expect(await textOf(page, 'count')).toBe('1 of 133 values match');
    await page.select('#filter', 'all');
    expect(await textOf(page, 'health')).toMatch(/^degraded/);
  }, 60_000);

  it('a restarted service is recognised: new instance card, versions and errors start again', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    writeFileSync(join(dir, 'svc.yaml'), 'greeting: hello\n');
    const start = async () => {
      const child = startTs(CLI, ['serve', '-f', 'svc.yaml', '--port', String(port)], { cwd: dir });
      await child.waitFor(/^inspector on /m, { timeoutMs: 15_000 });
      return child;
    };
    const first = await start();
    const other = await browser?.newPage();
    if (!other) throw new Error('no browser');
    try {
      await other.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'domcontentloaded' });
      await other.waitForFunction(
        `document.getElementById('instance').innerText.includes('${first.process.pid}')`,
      );
      first.process.kill('SIGTERM');
      await first.waitExit(10_000);
      const second = await start();
      await other.waitForFunction(
        `document.getElementById('instance').innerText.includes('${second.process.pid}')`,
        {
          timeout: 20_000,
        },
      );
      await other.waitForFunction(`document.getElementById('health').textContent === 'live'`);
      expect(await other.$eval('#version', (node) => node.textContent)).toBe('v1');
    } finally {
      await other.close();
    }
  }, 60_000);
});
