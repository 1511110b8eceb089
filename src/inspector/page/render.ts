/**
 * The inspector page: one self-contained HTML document (inline CSS and JS, no external assets). The
 * CSS and script are constant, so the Content-Security-Policy allows exactly them by hash.
 */
import { createHash } from 'node:crypto';
import { PAGE_SCRIPT } from './script.js';
import { PAGE_STYLE } from './style.js';

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page's Content-Security-Policy: its own script and style, requests to its own origin only. */
const CSP = [
  "default-src 'none'",
  `script-src ${hash(PAGE_SCRIPT)}`,
  `style-src ${hash(PAGE_STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** An inline icon, so that the browser asks for no /favicon.ico. */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='6' fill='%231f5fbf'/%3E%3C/svg%3E";

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The page for a title and the URL path the handler is mounted at (ending in `/`). */
export function renderPage(title: string, base: string): { html: string; csp: string } {
  const safeTitle = escapeHtml(title);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="livecfg-base" content="${escapeHtml(base)}">
<meta name="robots" content="noindex">
<link rel="icon" href="${FAVICON}">
<title>${safeTitle}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<a class="skip" href="#tree">Skip to the configuration</a>
<header class="top">
  <h1>${safeTitle}</h1>
  <div class="statusbar" role="status" aria-live="polite">
    <span id="health" class="health">connecting…</span>
    <span id="version" class="badge">v–</span>
    <span id="since" class="since-text"></span>
  </div>
  <div class="top-actions">
    <button type="button" id="pause" aria-pressed="false">Pause</button>
    <button type="button" id="theme">Dark theme</button>
  </div>
</header>
<div id="banner" class="banner" role="alert" hidden></div>
<main>
  <section class="card tree-card" aria-labelledby="tree-heading">
    <div class="toolbar">
      <h2 id="tree-heading">Configuration</h2>
      <label class="visually-hidden" for="search">Search keys, values and origins</label>
      <input id="search" type="search" placeholder="Search keys, values, origins" autocomplete="off" spellcheck="false">
      <label class="visually-hidden" for="filter">Show</label>
      <select id="filter">
        <option value="all">All values</option>
        <option value="changed">Changed recently</option>
        <option value="secret">Secrets</option>
      </select>
      <button type="button" id="expand">Expand all</button>
      <button type="button" id="collapse">Collapse all</button>
      <button type="button" id="export-json">Export JSON</button>
      <button type="button" id="export-yaml">Export YAML</button>
    </div>
    <p id="count" class="hint"></p>
    <div id="tree" class="tree-root" role="tree" aria-labelledby="tree-heading" tabindex="0"><div id="rows" class="rows"><p class="hint">Loading…</p></div></div>
  </section>
  <div class="side">
    <section id="drawer" class="card drawer" aria-labelledby="details-heading">
      <div class="drawer-head"><h2 id="details-heading">Details</h2><button type="button" id="close-drawer">Close</button></div>
      <div id="details"><p class="hint">Select a value to see where it came from and what it overrides.</p></div>
    </section>
    <section class="card" aria-labelledby="errors-heading">
      <h2 id="errors-heading">Rejected edits and errors</h2>
      <ul id="errors" class="errors" tabindex="0" aria-labelledby="errors-heading"><li class="hint">None so far.</li></ul>
    </section>
    <section class="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Changes</h2>
      <div class="diff-form">
        <label for="diff-from">Diff from</label> <select id="diff-from"></select>
        <label for="diff-to">to</label> <select id="diff-to"></select>
        <button type="button" id="diff-show">Show diff</button>
      </div>
      <div id="diff"></div>
      <ol id="timeline" class="timeline" tabindex="0" aria-labelledby="timeline-heading"><li class="hint">No changes yet.</li></ol>
    </section>
    <section class="card" aria-labelledby="sources-heading">
      <h2 id="sources-heading">Sources</h2>
      <div id="sources"><p class="hint">Loading…</p></div>
    </section>
    <section class="card" aria-labelledby="instance-heading">
      <h2 id="instance-heading">Instance</h2>
      <div id="instance"><p class="hint">Loading…</p></div>
    </section>
  </div>
</main>
<div id="announce" class="visually-hidden" aria-live="polite"></div>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
  return { html, csp: CSP };
}
