/**
 * The inspector page in a real headless Chromium (the system binary, driven by puppeteer-core): it
 * shows a value and its file:line origin, follows a file edit live without a reload, lists a rejected
 * edit, explains a value with what it overrides, never shows a secret, works from the keyboard and at
 * phone width. Saves the screenshot to docs/inspector.png.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, env, file, flags, loadConfig, memory } from '../../src/index.js';
import { type Inspector, inspector } from '../../src/inspector/index.js';
import { ROOT } from '../examples/child.js';
import { closeServer, listen } from './helpers.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
if (!CHROMIUM) console.warn('browser test skipped: no chromium binary at /usr/bin/chromium');

const SECRETS = ['hunter2-db-password', 's3cr3t-url-pw', 'sk_live_51Habc', 'env-token-value'];

const yaml = (template: string, shout = false): string => `# orders service
server:
  host: 0.0.0.0
  port: 8080
  timeout: 30s
greeting:
  template: ${template}
  defaultName: World
features:
  shout: ${shout}
  beta: false
database:
  url: postgres://orders:s3cr3t-url-pw@db.internal:5432/orders
  password: hunter2-db-password
  pool: { min: 2, max: 10 }
payments:
  apiKey: sk_live_51Habc
  currency: EUR
  retries: 3
`;

let browser: Browser | undefined;
let page: Page;
let dir: string;
let path: string;
let config: Config;
let handler: Inspector;
let server: Server;
let url: string;

/** Waits until the page's visible text contains `text` (the page updates from SSE, no reload). */
function pageShows(text: string, timeout = 10_000): Promise<unknown> {
  return page.waitForFunction(`document.body.innerText.includes(${JSON.stringify(text)})`, { timeout });
}

async function publish(text: string): Promise<void> {
  const version = config.version;
  const next = new Promise<void>((resolve) => {
    const subscription = config.changes$.subscribe((change) => {
      if (change.version > version) {
        subscription.unsubscribe();
        resolve();
      }
    });
  });
  await writeFile(path, text);
  await next;
}

describe.skipIf(!CHROMIUM)('inspector page in headless Chromium', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livecfg-browser-'));
    path = join(dir, 'orders.yaml');
    await writeFile(path, yaml('Hello {name}'));
    config = await loadConfig({
      sources: [
        file(path),
        env({
          prefix: 'ORDERS_',
          environ: () => ({ ORDERS_SERVER__PORT: '9090', ORDERS_AUTH__TOKEN: 'env-token-value' }),
        }),
        flags(['--features.beta=true']),
      ],
      debounceMs: 0,
    });
    handler = inspector(config, { title: 'orders · livecfg inspector' });
    ({ server, url } = await listen(handler));
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: join(dir, 'chromium-profile'),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    handler?.close();
    if (server) await closeServer(server);
    await config?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows values with file:line origins, follows a file edit live, explains, never shows a secret', async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${url}/`, { waitUntil: 'domcontentloaded' });

    await pageShows('"Hello {name}"');
    await pageShows('…/orders.yaml:7:3'); // greeting.template's origin, file:line:column
    expect(
      await page.$eval('.leaf[data-path="greeting.template"] .origin', (node) => node.getAttribute('title')),
    ).toBe(`from file:${path}: ${path}:7:3`);
    await pageShows('env ORDERS_SERVER__PORT');
    await pageShows('flag --features.beta');
    await page.waitForFunction(`document.getElementById('status').textContent === 'live'`);

    // The page must not reload: a marker on window survives the live update.
    await page.evaluate('window.__notReloaded = true');
    await publish(yaml('Howdy {name}!', true));
    await pageShows('"Howdy {name}!"');
    expect(await page.evaluate('window.__notReloaded')).toBe(true);
    await pageShows('"Hello {name}"'); // the timeline shows previous → new
    await page.waitForFunction(
      `document.querySelector('li.changed .leaf[data-path="greeting.template"]') !== null`,
    );

    // A rejected edit is listed with its file:line.
    await writeFile(path, `${yaml('Howdy {name}!', true)}oops: [unclosed\n`);
    await page.waitForFunction(
      `document.getElementById('errors').innerText.includes(${JSON.stringify(`${path}:`)}) && document.getElementById('errors').innerText.includes('PARSE')`,
    );
    await publish(yaml('Howdy {name}!', true).replace('retries: 3', 'retries: 5'));
    await pageShows('payments.retries');

    // Keyboard: focus a leaf, press Enter, see the whole explain() with the overridden value.
    await page.focus('.leaf[data-path="server.port"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      `document.getElementById('details').innerText.includes('Overrides 1 lower value') && document.getElementById('details').innerText.includes('8080')`,
    );
    const details = (await page.evaluate(`document.getElementById('details').innerText`)) as string;
    expect(details).toContain('env ORDERS_SERVER__PORT');
    expect(details).toContain(`${path}:4:3`);

    // Search filters the tree.
    await page.focus('#search');
    await page.keyboard.type('currency');
    await page.waitForFunction(`document.getElementById('count').textContent.startsWith('1 of')`);
    await page.evaluate(`document.getElementById('search').value = ''`);
    await page.evaluate(`document.getElementById('search').dispatchEvent(new Event('input'))`);

    const text = (await page.evaluate('document.body.innerText')) as string;
    const html = await page.content();
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret);
      expect(html).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(pageErrors).toEqual([]);

    await page.focus('.leaf[data-path="server.port"]');
    await page.screenshot({ path: join(ROOT, 'docs/inspector.png') });

    // Phone width: nothing scrolls sideways.
    await page.setViewport({ width: 390, height: 844 });
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    await page.screenshot({ path: join(tmpdir(), 'livecfg-inspector-phone.png'), fullPage: false });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewport({ width: 1280, height: 800 });
  }, 60_000);

  it('shows markup in keys, values and sources as text, never as HTML', async () => {
    const xss = await loadConfig({
      sources: [
        memory(
          {
            banner: '<img src=x onerror=window.__xss=1><script>window.__xss=2</script>',
            '<b onmouseover=window.__xss=3>key</b>': 'x',
          },
          { name: '<i>source</i>' },
        ),
      ],
    });
    const xssHandler = inspector(xss, { title: '<script>window.__xss=4</script>' });
    const running = await listen(xssHandler);
    const other = await browser?.newPage();
    try {
      if (!other) throw new Error('no browser');
      await other.goto(`${running.url}/`, { waitUntil: 'domcontentloaded' });
      await other.waitForFunction(`document.body.innerText.includes('<img src=x onerror=window.__xss=1>')`);
      const text = (await other.evaluate('document.body.innerText')) as string;
      expect(text).toContain('<b onmouseover=window.__xss=3>key</b>');
      expect(text).toContain('<script>window.__xss=4</script>'); // the title, as text
      await other.hover('.leaf');
      expect(await other.evaluate('window.__xss')).toBeUndefined();
      expect(await other.evaluate(`document.querySelectorAll('img, b, i').length`)).toBe(0);
    } finally {
      await other?.close();
      xssHandler.close();
      await closeServer(running.server);
      await xss.close();
    }
  }, 60_000);
});
