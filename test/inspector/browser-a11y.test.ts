/**
 * Accessibility of the inspector page in headless Chromium: axe-core (injected from npm) finds no
 * serious or critical violation in the light and the dark theme, with the banner, the drawer, a
 * changed marker, errors and the timeline on screen; the tree's rows are named by their visible text;
 * the theme choice is remembered across a reload.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Config, env, file, loadConfig } from '../../src/index.js';
import { type Inspector, inspector } from '../../src/inspector/index.js';
import { closeSetup, launch, nextError, publish, until } from './browser-helpers.js';
import { listen } from './helpers.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const Schema = z.looseObject({ limits: z.looseObject({ max: z.number().int().positive() }) });
const yaml = (max: string, name = 'orders'): string =>
  `service:\n  name: ${name}\n  region: eu-west-1\nlimits:\n  max: ${max}\ndb:\n  password: hunter2\n  url: postgres://u:p@h/db\n`;

interface AxeResult {
  violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
}

let browser: Browser | undefined;
let page: Page;
let dir: string;
let path: string;
let config: Config<z.infer<typeof Schema>>;
let handler: Inspector;
let server: Server;

async function axe(): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's own CSP (script hashes) stays in force.
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(AXE);
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })`)) as AxeResult;
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

describe('inspector page accessibility', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livecfg-a11y-'));
    path = join(dir, 'app.yaml');
    await writeFile(path, yaml('10'));
    config = await loadConfig({
      schema: Schema,
      sources: [file(path), env({ prefix: 'APP_', environ: () => ({ APP_SERVICE__REGION: 'us-east-1' }) })],
      debounceMs: 0,
    });
    handler = inspector(config, { service: 'orders' });
    const running = await listen(handler);
    server = running.server;
    browser = await launch(dir);
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${running.url}/`, { waitUntil: 'domcontentloaded' });
    await until(page, `document.getElementById('health').textContent === 'live'`);
    await publish(config, path, yaml('20', 'orders-eu'));
    const rejected = nextError(config);
    await writeFile(path, yaml('-1', 'orders-eu'));
    await rejected;
    await until(page, `!document.getElementById('banner').hidden`);
    await page.click('[data-path="limits.max"]');
    await until(page, `document.getElementById('details').innerText.includes('History of this key')`);
  }, 60_000);

  afterAll(() => closeSetup({ browser, handler, server, config, dir }));

  it('axe-core: no serious or critical violation in the light theme', async () => {
    await page.evaluate(
      `localStorage.removeItem('livecfg-theme'); document.documentElement.dataset.theme = 'light'`,
    );
    expect(await axe()).toEqual([]);
    // The harness does see violations: a nameless button is one (critical).
    await page.evaluate(
      `document.body.append(Object.assign(document.createElement('button'), { id: 'nameless' }))`,
    );
    expect((await axe()).join()).toMatch(/^button-name \(critical\): #nameless/);
    await page.evaluate(`document.getElementById('nameless').remove()`);
  }, 60_000);

  it('axe-core: no serious or critical violation in the dark theme, and the choice is remembered', async () => {
    await until(page, `document.documentElement.dataset.theme === 'light'`);
    await page.click('#theme');
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    expect(await axe()).toEqual([]);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await until(page, `document.getElementById('count').textContent.includes('values')`);
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    expect(await page.$eval('#theme', (node) => node.textContent)).toBe('Light theme');
  }, 60_000);

  it('tree rows are named by their visible text (no aria-label that differs), with levels and positions', async () => {
    const rows = (await page.evaluate(`[...document.querySelectorAll('#rows [role=treeitem]')].map((row) => ({
      label: row.getAttribute('aria-label'), level: row.getAttribute('aria-level'),
      pos: row.getAttribute('aria-posinset'), size: row.getAttribute('aria-setsize') }))`)) as Array<
      Record<string, string | null>
    >;
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      expect(row.label).toBeNull();
      expect(Number(row.level)).toBeGreaterThan(0);
      expect(Number(row.pos)).toBeLessThanOrEqual(Number(row.size));
    }
  });
});
