/**
 * The inspector page in a real headless Chromium (the system binary, driven by puppeteer-core), health
 * first: the status bar and the rejected-edit banner (every issue, file:line, the live version and
 * since when), resolved errors, the instance card; live edits patched in without a reload or a config
 * refetch; the ARIA tree from the keyboard with one tab stop; search restoring expand state; no secret
 * in the DOM; markup shown as text. Saves docs/inspector.png and docs/inspector-phone.png.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Config, env, file, flags, loadConfig, memory } from '../../src/index.js';
import { type Inspector, inspector } from '../../src/inspector/index.js';
import { ROOT } from '../examples/child.js';
import {
  closeSetup,
  launch,
  nextError,
  pageErrors,
  publish,
  shows,
  textOf,
  until,
} from './browser-helpers.js';
import { closeServer, listen } from './helpers.js';

const SECRETS = ['hunter2-db-password', 's3cr3t-url-pw', 'sk_live_51Habc', 'env-token-value'];
const DATE_TIME = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;

const yaml = (template: string, host = '0.0.0.0', retries = '3'): string => `# orders service
server:
  host: ${host}
  port: 8080
  timeout: 30s
greeting:
  template: ${template}
  defaultName: World
features:
  shout: false
  beta: false
database:
  url: postgres://orders:s3cr3t-url-pw@db.internal:5432/orders
  password: hunter2-db-password
  pool: { min: 2, max: 10 }
payments:
  apiKey: sk_live_51Habc
  currency: EUR
  retries: ${retries}
`;

const Schema = z.looseObject({
  server: z.looseObject({ port: z.coerce.number().int().positive(), host: z.string() }),
  payments: z.looseObject({ retries: z.number().int().min(0).describe('How often a payment is retried') }),
});

let browser: Browser | undefined;
let page: Page;
let dir: string;
let path: string;
let config: Config<z.infer<typeof Schema>>;
let handler: Inspector;
let server: Server;
let url: string;
let errors: string[];

const activeRow = (): Promise<string | null> =>
  page.evaluate(
    `(() => { const id = document.getElementById('tree').getAttribute('aria-activedescendant'); return id && document.getElementById(id).dataset.path; })()`,
  ) as Promise<string | null>;

describe('inspector page in headless Chromium', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livecfg-browser-'));
    path = join(dir, 'orders.yaml');
    await writeFile(path, yaml('Hello {name}'));
    config = await loadConfig({
      schema: Schema,
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
    handler = inspector(config, { title: 'orders · livecfg inspector', service: 'orders' });
    ({ server, url } = await listen(handler));
    browser = await launch(dir);
    page = await browser.newPage();
    errors = pageErrors(page);
    await page.setViewport({ width: 1280, height: 800 });
  }, 60_000);

  afterAll(() => closeSetup({ browser, handler, server, config, dir }));

  it('health first: live, then a rejected edit (banner: source, file:line, every issue, live version and since when), then resolved', async () => {
    await page.goto(`${url}/`, { waitUntil: 'domcontentloaded' });
    await until(page, `document.getElementById('health').textContent === 'live'`);
    await shows(page, '"Hello {name}"');
    expect(await textOf(page, 'since')).toMatch(DATE_TIME);
    const card = await textOf(page, 'instance');
    expect(card).toContain('orders');
    expect(card).toContain(String(process.pid));
    expect(card).toMatch(DATE_TIME);

    // A valid edit is patched in: no reload, no refetch of the config.
    const configRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/config')) configRequests.push(request.url());
    });
    await page.evaluate('window.__notReloaded = true');
    await publish(config, path, yaml('Howdy {name}!'));
    await shows(page, '"Howdy {name}!"');
    expect(await page.evaluate('window.__notReloaded')).toBe(true);
    expect(configRequests).toEqual([]);
    await until(page, `document.querySelector('.row.changed[data-path="greeting.template"]') !== null`);

    // A rejected edit with two schema issues.
    const rejected = nextError(config);
    await writeFile(path, yaml('Howdy {name}!', '[1, 2]', 'many'));
    await rejected;
    await until(page, `document.getElementById('health').textContent === 'rejected'`);
    await until(page, `!document.getElementById('banner').hidden`);
    const banner = await textOf(page, 'banner');
    expect(banner).toContain(`file:${path}`);
    expect(banner).toContain('payments.retries');
    expect(banner).toContain('server.host');
    expect(banner).toContain(`${path}:19:`); // where payments.retries came from
    expect(banner).toContain(`${path}:3:`); // where server.host came from
    expect(banner).toContain(`Live values are still those of v${config.version}`);
    expect(banner).toMatch(DATE_TIME);

    // The fix publishes from the same source: the error is resolved, the page is live again.
    await publish(config, path, yaml('Howdy {name}!', '0.0.0.0', '5'));
    await until(page, `document.getElementById('health').textContent === 'live'`);
    expect(await page.$eval('#banner', (node) => (node as unknown as { hidden: boolean }).hidden)).toBe(true);
    expect(await textOf(page, 'errors')).toContain(`resolved by v${config.version}`);

    // A fresh page shows the error as resolved too.
    await page.reload({ waitUntil: 'domcontentloaded' });
    await until(
      page,
      `document.getElementById('errors').innerText.includes('resolved by v${config.version}')`,
    );
    await until(page, `document.getElementById('health').textContent === 'live'`);
    // Recent-change markers come back from history after a reload.
    await until(page, `document.querySelector('.row.changed[data-path="greeting.template"]') !== null`);
  }, 60_000);

  it('the tree is one tab stop with arrow keys; focus and selection survive a live update; search restores expand state', async () => {
    expect(
      await page.evaluate(
        `document.querySelectorAll('#tree [tabindex], #tree button, #tree a, #tree input').length`,
      ),
    ).toBe(0);
    expect(await page.$eval('#tree', (node) => [node.getAttribute('role'), node.tabIndex])).toEqual([
      'tree',
      0,
    ]);
    await page.focus('#tree');
    expect(await activeRow()).toBe('server');
    await page.keyboard.press('ArrowDown');
    expect(await activeRow()).toBe('server.port');
    await page.keyboard.press('ArrowLeft'); // to the parent
    expect(await activeRow()).toBe('server');
    await page.keyboard.press('ArrowLeft'); // collapses it
    expect(await page.$eval('[data-path="server"]', (node) => node.getAttribute('aria-expanded'))).toBe(
      'false',
    );
    await page.keyboard.press('ArrowRight'); // expands it
    await page.keyboard.press('ArrowRight'); // to the first child
    await page.keyboard.press('ArrowDown');
    expect(await activeRow()).toBe('server.host');
    await page.keyboard.press('ArrowUp');
    expect(await activeRow()).toBe('server.port');
    await page.keyboard.press('Enter');
    await until(page, `document.getElementById('details').innerText.includes('overrides 1 lower value')`);
    const details = await textOf(page, 'details');
    expect(details).toContain('env ORDERS_SERVER__PORT');
    expect(details).toContain(`${path}:4:3`);

    // A live update elsewhere keeps focus, the active row, the selection and the scroll position.
    await publish(config, path, yaml('Hi {name}', '0.0.0.0', '5'));
    await shows(page, '"Hi {name}"');
    expect(await page.evaluate(`document.activeElement.id`)).toBe('tree');
    expect(await activeRow()).toBe('server.port');
    expect(await page.$eval('[data-path="server.port"]', (node) => node.getAttribute('aria-selected'))).toBe(
      'true',
    );

    // Search, then clear: the branches open before are the branches open after.
    const expanded = `JSON.stringify([...document.querySelectorAll('[aria-expanded=true]')].map((n) => n.dataset.path))`;
    await page.click('[data-path="features"]'); // collapse one branch first
    const before = await page.evaluate(expanded);
    await page.focus('#search');
    await page.keyboard.type('currency');
    await until(page, `document.getElementById('count').textContent.startsWith('1 of')`);
    expect(await page.evaluate(`document.querySelectorAll('#rows [role=treeitem]').length`)).toBe(2);
    await page.click('#search', { count: 3 });
    await page.keyboard.press('Backspace');
    await until(page, `!document.getElementById('count').textContent.includes(' of ')`);
    expect(await page.evaluate(expanded)).toBe(before);

    const text = (await page.evaluate('document.body.innerText')) as string;
    const html = await page.content();
    for (const secret of SECRETS) {
      expect(text).not.toContain(secret);
      expect(html).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(errors).toEqual([]);
  }, 60_000);

  it('screenshots with the banner and the drawer, at desktop and phone width (a bottom sheet, nothing scrolls sideways)', async () => {
    const rejected = nextError(config);
    await writeFile(path, yaml('Hi {name}', '[1, 2]', 'many'));
    await rejected;
    await until(page, `!document.getElementById('banner').hidden`);
    await page.click('[data-path="server.port"]');
    await until(page, `document.getElementById('details').innerText.includes('History of this key')`);
    await page.screenshot({ path: join(ROOT, 'docs/inspector.png') });

    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await until(page, `getComputedStyle(document.getElementById('drawer')).position === 'fixed'`);
    const sheet = await page.$eval('#drawer', (node) => {
      const box = node.getBoundingClientRect();
      return { bottom: Math.round(box.bottom), height: box.height };
    });
    expect(sheet.bottom).toBe(844);
    expect(
      await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ROOT, 'docs/inspector-phone.png') });
    await page.setViewport({ width: 1280, height: 800 });
    await publish(config, path, yaml('Hi {name}', '0.0.0.0', '6'));
    await until(page, `document.getElementById('health').textContent === 'live'`);
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
      await other.hover('.row');
      await other.click('.row');
      await other.waitForFunction(`document.getElementById('details').innerText.includes('<i>source</i>')`);
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
