/**
 * Browser test helpers: the system Chromium driven by puppeteer-core (headless, one profile per test
 * file), waits on the page's own state (never on time), and a config edit that resolves on publish.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { closeServer } from './helpers.js';

/** What the helpers read of a config (any `Config<T>`). */
interface Followed {
  readonly version: number;
  readonly changes$: { subscribe(next: (change: { version: number }) => void): { unsubscribe(): void } };
  readonly errors$: { subscribe(next: (error: Error) => void): { unsubscribe(): void } };
}

/** The system Chromium, or `undefined` when none is installed. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/** Launches headless Chromium with its profile under `dir`. */
export function launch(dir: string): Promise<Browser> {
  if (!CHROMIUM) throw new Error('no chromium at /usr/bin/chromium');
  return puppeteer.launch({
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
}

/** Collects the page's uncaught errors and console errors. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** Waits until `expression` (evaluated in the page) is truthy. */
export function until(page: Page, expression: string, timeout = 10_000): Promise<unknown> {
  return page.waitForFunction(expression, { timeout });
}

/** Waits until the page's visible text contains `text`. */
export function shows(page: Page, text: string, timeout = 10_000): Promise<unknown> {
  return until(page, `document.body.innerText.includes(${JSON.stringify(text)})`, timeout);
}

/** The visible text of the element with `id`. */
export function textOf(page: Page, id: string): Promise<string> {
  return page.evaluate(`document.getElementById(${JSON.stringify(id)}).innerText`) as Promise<string>;
}

/** Resolves when `config` publishes a version after the current one. */
export function nextVersion(config: Followed): Promise<number> {
  const version = config.version;
  return new Promise((resolve) => {
    const subscription = config.changes$.subscribe((change) => {
      if (change.version > version) {
        subscription.unsubscribe();
        resolve(change.version);
      }
    });
  });
}

/** Writes `text` to `path` and resolves once `config` published it. */
export async function publish(config: Followed, path: string, text: string): Promise<number> {
  const next = nextVersion(config);
  await writeFile(path, text);
  return next;
}

/** Resolves with the next error `config` reports. */
export function nextError(config: Followed): Promise<Error> {
  return new Promise((resolve) => {
    const subscription = config.errors$.subscribe((error) => {
      subscription.unsubscribe();
      resolve(error);
    });
  });
}

/** What a browser test file set up, any part of it possibly not reached when setup failed. */
export interface BrowserSetup {
  browser?: Browser | undefined;
  handler?: { close(): void } | undefined;
  server?: Server | undefined;
  config?: { close(): Promise<void> } | undefined;
  dir?: string | undefined;
}

/** Tears down a browser test file's setup, in order: the browser, the inspector, its server, the config, the temp folder. */
export async function closeSetup(setup: BrowserSetup): Promise<void> {
  await setup.browser?.close();
  setup.handler?.close();
  if (setup.server) await closeServer(setup.server);
  await setup.config?.close();
  if (setup.dir) await rm(setup.dir, { recursive: true, force: true });
}
