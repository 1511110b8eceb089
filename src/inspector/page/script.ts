/**
 * The inspector page's script (inlined into the page; allowed by hash in its CSP). Plain ES2020 for
 * browsers. It loads the config with its origins once, then patches itself from `api/events`: a change
 * event carries the changed paths with their redacted values and origins, so only those rows change.
 * A gap, a removal, a change listing "+N more", or another instance (a restart) reloads everything.
 * Written without template literals so that it can live inside this TypeScript string.
 */
import { SCRIPT_CORE } from './script-core.js';
import { SCRIPT_DRAWER } from './script-drawer.js';
import { SCRIPT_HEALTH } from './script-health.js';
import { SCRIPT_HISTORY } from './script-history.js';
import { SCRIPT_MODEL } from './script-model.js';
import { SCRIPT_TREE } from './script-tree.js';

/** Loading, live updates, and the wiring of the controls. */
const SCRIPT_LIVE = String.raw`
  // ---- loading and live updates ----
  function loadConfig() {
    if (state.loading) { state.reloadAgain = true; return state.loading; }
    state.loading = api('api/config?origins=1').then(function (body) {
      state.value = body.value;
      state.origins = new Map(body.origins.map(function (leaf) { return [leaf[0], { source: leaf[1], origin: leaf[2] }]; }));
      state.version = body.version;
      var first = state.nodes.length === 0 && !state.seen;
      buildNodes(first && body.origins.length > 400 ? 1 : 3);
      updateSourceFilter();
      refresh();
      renderHealth();
      if (first) openFromHash();
      else if (state.selected) explain(state.selected);
    }).catch(function (error) {
      $('rows').replaceChildren(el('p', 'error-banner', 'Cannot load the configuration: ' + error.message));
    }).finally(function () {
      state.loading = null;
      if (state.reloadAgain) { state.reloadAgain = false; loadConfig(); }
    });
    return state.loading;
  }
  function updateSourceFilter() {
    var select = $('filter');
    var existing = new Set(Array.prototype.map.call(select.options, function (o) { return o.value; }));
    var names = new Set();
    state.origins.forEach(function (o) { if (o.source) names.add(o.source); });
    names.forEach(function (name) {
      if (existing.has('source:' + name)) return;
      var option = el('option', null, 'From ' + name);
      option.value = 'source:' + name;
      select.append(option);
    });
  }
  var sourcesTimer = null;
  function loadSources() {
    clearTimeout(sourcesTimer);
    sourcesTimer = setTimeout(function () {
      api('api/sources').then(function (sources) { state.sources = sources; renderHealth(); renderSources(); renderErrors(); }).catch(function () {});
    }, 50);
  }
  function applyChange(entry) {
    if (entry.version <= state.version) return;
    var patched = entry.version === state.version + 1 && !entry.more;
    if (patched) for (var i = 0; i < entry.changes.length && patched; i++) patched = patchLeaf(entry.changes[i]);
    var until = Date.now() + 2400;
    entry.changes.forEach(function (change) { state.flashUntil.set(change.path, until); });
    if (patched) {
      state.version = entry.version;
      if (state.query || state.mode !== 'all') computeRows();
      renderCount();
      renderRows();
      if (state.selected && entry.changes.some(function (c) { return c.path === state.selected; })) explain(state.selected);
    } else {
      loadConfig();
    }
  }
  function onChange(entry) {
    if (state.paused) { state.buffered.push(entry); $('pause').textContent = 'Resume (' + state.buffered.length + ')'; return; }
    var newest = state.history[0];
    if (newest && entry.version <= newest.version) return;
    state.history.unshift(entry);
    if (state.history.length > 200) state.history.length = 200;
    markChanged(entry);
    state.since = entry.timestamp;
    applyChange(entry);
    renderTimeline();
    renderHealth();
    announce('Version ' + entry.version + ': ' + entry.changes.length + (entry.more ? ' + ' + entry.more : '') + ' values changed');
    loadSources();
    setTimeout(scheduleRender, 2500);
  }
  function onError(error) {
    if (state.errors.has(error.id)) { state.errors.set(error.id, error); renderErrors(); renderHealth(); return; }
    state.errors.set(error.id, error);
    renderErrors();
    renderHealth();
    if (!error.resolved) announce('Rejected: ' + error.message);
    loadSources();
  }
  function onResolved(data) {
    var error = state.errors.get(data.id);
    if (!error) return;
    error.resolved = { version: data.version, at: data.at };
    renderErrors();
    renderHealth();
  }
  // A hello from another instance: the service restarted; versions and errors start again.
  function onHello(hello) {
    if (state.instance && hello.instance !== state.instance) {
      announce('The service restarted: instance ' + hello.instance);
      state.history = []; state.errors = new Map(); state.changed = new Map(); state.version = 0;
      loadAll();
      return;
    }
    state.instance = hello.instance;
  }
  function connect() {
    if (state.events) state.events.close();
    var events = new EventSource(base + 'api/events?since=' + state.version);
    state.events = events;
    events.onopen = function () { state.connected = true; renderHealth(); };
    events.addEventListener('hello', function (event) { onHello(JSON.parse(event.data)); });
    events.addEventListener('change', function (event) { onChange(JSON.parse(event.data)); });
    events.addEventListener('resolved', function (event) { onResolved(JSON.parse(event.data)); });
    events.addEventListener('error', function (event) {
      if (typeof event.data === 'string') { onError(JSON.parse(event.data)); return; }
      state.connected = false;
      renderHealth();
    });
    events.addEventListener('reset', function () { loadAll(); });
  }
  function loadAll() {
    var config = loadConfig();
    return Promise.all([api('api/instance'), api('api/history'), api('api/sources'), api('api/errors'), config]).then(function (r) {
      state.card = r[0]; state.instance = r[0].instance; state.since = r[0].versionSince;
      state.history = r[1]; state.sources = r[2];
      state.errors = new Map(r[3].map(function (e) { return [e.id, e]; }));
      state.changed = new Map();
      state.history.slice().reverse().forEach(markChanged);
      refresh();
    }).then(function () {
      renderInstance(); renderTimeline(); renderHealth(); renderSources(); renderErrors();
      connect();
    }).catch(function (error) {
      state.connected = false;
      $('health').textContent = 'offline';
      $('rows').replaceChildren(el('p', 'error-banner', 'Cannot reach the inspector API: ' + error.message));
    });
  }

  // ---- controls ----
  var searchTimer = null;
  $('search').addEventListener('input', function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      state.query = $('search').value.trim().toLowerCase();
      $('tree').scrollTop = 0;
      refresh();
    }, 20);
  });
  $('filter').addEventListener('change', function () { state.mode = $('filter').value; refresh(); });
  $('expand').addEventListener('click', function () { state.nodes.forEach(function (n) { if (n.branch) state.expanded.add(n.path); }); refresh(); });
  $('collapse').addEventListener('click', function () { state.expanded.clear(); refresh(); });
  $('tree').addEventListener('keydown', onTreeKey);
  $('tree').addEventListener('click', onTreeClick);
  $('tree').addEventListener('scroll', scheduleRender, { passive: true });
  $('tree').addEventListener('focus', function () {
    if (state.active === null && state.rows.length) setActive(state.rows[0].path, false);
  });
  window.addEventListener('resize', scheduleRender);
  window.addEventListener('hashchange', openFromHash);
  $('close-drawer').addEventListener('click', closeDrawer);
  $('diff-show').addEventListener('click', showDiff);
  $('export-json').addEventListener('click', function () { exportTree('json'); });
  $('export-yaml').addEventListener('click', function () { exportTree('yaml'); });
  $('pause').addEventListener('click', function () {
    state.paused = !state.paused;
    $('pause').setAttribute('aria-pressed', state.paused ? 'true' : 'false');
    $('pause').textContent = state.paused ? 'Resume' : 'Pause';
    if (!state.paused) { var queued = state.buffered; state.buffered = []; queued.forEach(onChange); }
    renderHealth();
  });
  function setTheme(theme) {
    document.documentElement.dataset.theme = theme;
    $('theme').textContent = theme === 'dark' ? 'Light theme' : 'Dark theme';
  }
  $('theme').addEventListener('click', function () {
    var next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    try { localStorage.setItem('livecfg-theme', next); } catch (e) { /* storage off */ }
    setTheme(next);
  });
  var savedTheme = null;
  try { savedTheme = localStorage.getItem('livecfg-theme'); } catch (e) { /* storage off */ }
  setTheme(savedTheme || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  document.addEventListener('keydown', function (event) {
    var tag = document.activeElement && document.activeElement.tagName;
    if (event.key === '/' && tag !== 'INPUT' && tag !== 'SELECT') { event.preventDefault(); $('search').focus(); }
    if (event.key === 'Escape' && state.selected) closeDrawer();
  });
  loadAll();
`;

/** The whole page script: one closure, strict mode. */
export const PAGE_SCRIPT = `
(function () {${SCRIPT_CORE}${SCRIPT_MODEL}${SCRIPT_TREE}${SCRIPT_HEALTH}${SCRIPT_HISTORY}${SCRIPT_DRAWER}${SCRIPT_LIVE}})();
`;
