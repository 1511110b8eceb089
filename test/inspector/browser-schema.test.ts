/**
 * The details drawer's schema facts in headless Chromium: a described zod field shows its description,
 * default, type and constraints; a key a source sets but the schema dropped says so (opened by its
 * `#path` deep link, since it is not in the tree); a secret's default is in neither the page nor the
 * API response.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Config, file, loadConfig } from '../../src/index.js';
import { type Inspector, inspector } from '../../src/inspector/index.js';
import { closeSetup, launch, pageErrors, textOf, until } from './browser-helpers.js';
import { listen } from './helpers.js';

const SECRET_DEFAULTS = [
  'default-db-password-xyz',
  'signing-default-abc',
  'parent-default-pw',
  'parent-sign',
];

const Schema = z.object({
  server: z
    .object({
      port: z.number().int().min(1).max(65535).default(8080).describe('The port the service listens on'),
      host: z
        .string()
        .regex(/^[a-z0-9.-]+$/)
        .default('localhost'),
    })
    .prefault({}),
  level: z.enum(['debug', 'info', 'warn']).default('info').describe('How much to log'),
  db: z
    .object({
      password: z.string().default('default-db-password-xyz').describe('The database password'),
      signing: z.string().meta({ secret: true }).default('signing-default-abc'),
      pool: z.number().int().positive().default(4),
    })
    .default({ password: 'parent-default-pw', signing: 'parent-sign', pool: 4 }),
});

let browser: Browser | undefined;
let page: Page;
let errors: string[];
let dir: string;
let config: Config;
let handler: Inspector;
let server: Server;
let url: string;

/** Opens the drawer of `path` by its deep link and waits for its schema section. */
async function openDrawer(path: string, waitFor: string): Promise<string> {
  await page.goto(`${url}/#${encodeURIComponent(path)}`, { waitUntil: 'domcontentloaded' });
  await until(page, `document.getElementById('details').innerText.includes(${JSON.stringify(waitFor)})`);
  return textOf(page, 'details');
}

async function explainApi(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/api/explain?path=${encodeURIComponent(path)}`);
  return { status: response.status, text: await response.text() };
}

describe('inspector drawer: what the schema says', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'livecfg-drawer-schema-'));
    const path = join(dir, 'app.yaml');
    await writeFile(path, 'server:\n  port: 9090\n  prot: 1\nlevel: debug\ndb:\n  password: hunter2-live\n');
    config = (await loadConfig({ schema: Schema, sources: [file(path)], watch: false })) as unknown as Config;
    handler = inspector(config);
    ({ server, url } = await listen(handler));
    browser = await launch(dir);
    page = await browser.newPage();
    errors = pageErrors(page);
    await page.setViewport({ width: 1280, height: 900 });
  }, 60_000);

  afterAll(() => closeSetup({ browser, handler, server, config, dir }));

  it("shows a described field's description, default, type and constraints", async () => {
    const port = await openDrawer('server.port', 'Constraints');
    expect(port).toContain('The port the service listens on');
    expect(port).toMatch(/Type\s+integer/);
    expect(port).toMatch(/Default\s+8080/);
    expect(port).toContain('minimum 1');
    expect(port).toContain('maximum 65535');
    const level = await openDrawer('level', 'Constraints');
    expect(level).toContain('How much to log');
    expect(level).toMatch(/Default\s+"info"/);
    expect(level).toContain('one of "debug", "info", "warn"');
    const host = await openDrawer('server.host', 'Constraints');
    expect(host).toMatch(/Description\s+none/);
    expect(host).toContain('pattern ^[a-z0-9.-]+$');
    expect(errors).toEqual([]);
  }, 60_000);

  it('says "the schema dropped this key" for a key a source sets and the schema strips', async () => {
    expect(config.get(['server', 'prot'])).toBeUndefined();
    const details = await openDrawer('server.prot', 'the schema dropped this key');
    expect(details).toContain('the schema does not declare it');
    expect(details).toContain('app.yaml:3'); // where the source sets it
    expect(details).toContain('The schema does not declare this key.');
    const api = await explainApi('server.prot');
    expect(api.status).toBe(200);
    expect(JSON.parse(api.text)).toMatchObject({ dropped: true, schema: { declared: false, dropped: true } });
    // A declared key is not "dropped", and a key nobody sets is simply not set.
    expect(JSON.parse((await explainApi('server.port')).text).dropped).toBeUndefined();
    expect((await explainApi('server.nothing')).status).toBe(404);
    expect(errors).toEqual([]);
    const unset = await openDrawer('server.nothing', 'is not set');
    expect(unset).not.toContain('dropped');
    // The browser logs the 404 of /api/explain; nothing else went wrong.
    expect(errors.filter((error) => !error.includes('status of 404'))).toEqual([]);
    errors.length = 0;
  }, 60_000);

  it("never sends a secret's default: not in the page, not in the API", async () => {
    const password = await openDrawer('db.password', 'Schema');
    await until(page, `document.getElementById('details').innerText.includes('not shown: a secret')`);
    expect(await textOf(page, 'details')).toContain('The database password');
    expect(password).not.toContain('hunter2-live');
    await openDrawer('db.signing', 'not shown: a secret');
    await openDrawer('db', 'Schema');
    const html = await page.evaluate('document.documentElement.outerHTML');
    for (const paths of ['db.password', 'db.signing', 'db', 'db.pool']) {
      const { status, text } = await explainApi(paths);
      expect(status).toBe(200);
      for (const secret of [...SECRET_DEFAULTS, 'hunter2-live']) expect(text).not.toContain(secret);
    }
    for (const secret of [...SECRET_DEFAULTS, 'hunter2-live']) expect(html).not.toContain(secret);
    // The parent's default keeps its other entries; the secret facts say so.
    const db = JSON.parse((await explainApi('db')).text);
    expect(db.schema.default).toEqual({ pool: 4 });
    expect(JSON.parse((await explainApi('db.password')).text).schema).toMatchObject({
      secret: true,
      type: 'string',
      description: 'The database password',
    });
    expect(errors).toEqual([]);
  }, 60_000);
});
