/**
 * The inspector page's script (inlined into the page; allowed by hash in its CSP). Plain ES2020 for
 * browsers. It builds every element with textContent (never innerHTML of data), loads the config with
 * its origins, and follows `api/events` to update the tree, the timeline, the errors and the sources
 * live. Written without template literals so that it can live inside this TypeScript string.
 */
import { SCRIPT_CORE } from './script-core.js';
import { SCRIPT_TREE } from './script-tree.js';

/** The side panels, the loading and the live updates; the closure that holds the three parts. */
const SCRIPT_LIVE = `
  // ---- side panels ----
  function renderSources() {
    var table = el('table');
    var head = el('tr');
    ['Source', 'Status', 'Read', 'Changed'].forEach(function (label) {
      var th = el('th', null, label); th.scope = 'col'; head.append(th);
    });
    var thead = el('thead'); thead.append(head);
    var body = el('tbody');
    state.sources.forEach(function (source) {
      var row = el('tr');
      var name = el('td', 'mono name', short(source.name));
      name.title = source.name;
      var status = el('td', source.status === 'ok' ? 'ok' : 'bad', source.status);
      if (source.lastError) status.title = source.lastError.code + ': ' + source.lastError.message;
      row.append(name, status, el('td', null, time(source.lastReadAt)), el('td', null, time(source.lastChangeAt)));
      body.append(row);
      if (source.lastError) {
        var errorRow = el('tr');
        var cell = el('td', 'bad', source.lastError.code + ': ' + source.lastError.message);
        cell.colSpan = 4;
        errorRow.append(cell);
        body.append(errorRow);
      }
    });
    table.append(thead, body);
    $('sources').replaceChildren(state.sources.length ? table : el('p', 'hint', 'No sources.'));
  }
  function renderErrors() {
    var list = $('errors');
    var items = Array.from(state.errors.values()).sort(function (a, b) { return b.seq - a.seq; });
    if (items.length === 0) { list.replaceChildren(el('li', 'hint', 'None so far.')); return; }
    list.replaceChildren.apply(list, items.slice(0, 50).map(function (error) {
      var item = el('li');
      var where = error.file ? short(error.file) + (error.line ? ':' + error.line + (error.column ? ':' + error.column : '') : '') : short(error.source || '');
      item.append(el('span', 'code', error.code), el('span', 'hint', time(error.time) + (where ? ' · ' + where : '')),
        el('span', 'where mono', error.message));
      return item;
    }));
  }
  function renderTimeline() {
    var list = $('timeline');
    if (state.history.length === 0) { list.replaceChildren(el('li', 'hint', 'No changes yet.')); return; }
    list.replaceChildren.apply(list, state.history.slice(0, 50).map(function (entry) {
      var item = el('li');
      var head = el('div', 'head');
      var from = el('span', 'mono', short(entry.source));
      from.title = entry.source;
      head.append(el('strong', null, 'v' + entry.version), el('span', 'hint', time(entry.timestamp)), from);
      var changes = el('ul');
      entry.changes.forEach(function (change) {
        var line = el('li');
        line.append(el('code', null, change.path), el('span', 'arrow', ':'), valueNode(change.previous),
          el('span', 'arrow', '→'), valueNode(change.value));
        if (change.describedOrigin) {
          var at = el('span', 'origin', ' ' + short(change.describedOrigin));
          at.title = change.describedOrigin;
          line.append(at);
        }
        changes.append(line);
      });
      item.append(head, changes);
      return item;
    }));
  }
  function setVersion(version) {
    state.version = version;
    $('version').textContent = 'v' + version;
  }
  function setStatus(text, kind) {
    var status = $('status');
    status.textContent = text;
    status.className = 'status ' + kind;
  }

  // ---- loading and live updates ----
  function loadConfig(flash) {
    if (flash) flash.forEach(function (path) { state.flash.add(path); });
    if (state.loading) { state.reloadAgain = true; return state.loading; }
    var flashing = state.flash;
    state.flash = new Set();
    state.loading = api('api/config?origins=1').then(function (body) {
      state.value = body.value;
      state.origins = new Map(body.origins.map(function (leaf) { return [leaf[0], { source: leaf[1], origin: leaf[2] }]; }));
      setVersion(body.version);
      renderTree(flashing);
      if (state.selected) {
        var leaf = state.leaves.find(function (candidate) { return candidate.path === state.selected; });
        if (leaf) explain(leaf.keys, leaf.path);
      }
    }).catch(function (error) {
      banner('Cannot load the configuration: ' + error.message);
    }).finally(function () {
      state.loading = null;
      if (state.reloadAgain) { state.reloadAgain = false; loadConfig(null); }
    });
    return state.loading;
  }
  var sourcesTimer = null;
  function loadSources() {
    clearTimeout(sourcesTimer);
    sourcesTimer = setTimeout(function () {
      api('api/sources').then(function (sources) { state.sources = sources; renderSources(); }).catch(function () {});
    }, 50);
  }
  function onChange(entry) {
    var newest = state.history[0];
    if (newest && entry.version <= newest.version) return;
    state.history.unshift(entry);
    if (state.history.length > 200) state.history.length = 200;
    var paths = new Set();
    entry.changes.forEach(function (change) { state.changed.set(change.path, entry.version); paths.add(change.path); });
    renderTimeline();
    $('updated').textContent = 'updated ' + time(entry.timestamp) + ' from ' + short(entry.source);
    announce('Version ' + entry.version + ': ' + entry.changes.map(function (c) { return c.path; }).join(', ') + ' changed');
    loadConfig(paths);
    loadSources();
  }
  function onError(error) {
    if (state.errors.has(error.seq)) return;
    state.errors.set(error.seq, error);
    renderErrors();
    announce('Rejected: ' + error.message);
    loadSources();
  }
  function connect() {
    var events = new EventSource(base + 'api/events?since=' + state.version);
    state.source = events;
    events.onopen = function () { setStatus('live', 'live'); };
    events.addEventListener('change', function (event) { onChange(JSON.parse(event.data)); });
    events.addEventListener('error', function (event) {
      if (typeof event.data === 'string') { onError(JSON.parse(event.data)); return; }
      setStatus(events.readyState === 2 ? 'disconnected' : 'reconnecting…', 'down');
    });
    events.addEventListener('reset', function () {
      state.history = [];
      Promise.all([loadConfig(null), api('api/history')]).then(function (results) {
        state.history = results[1];
        renderTimeline();
      });
      loadSources();
    });
  }

  $('search').addEventListener('input', applyFilter);
  $('filter').addEventListener('change', applyFilter);
  $('expand').addEventListener('click', function () {
    state.branches.forEach(function (branch) { branch.details.open = true; });
  });
  $('collapse').addEventListener('click', function () {
    state.branches.forEach(function (branch) { branch.details.open = false; });
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === '/' && document.activeElement && document.activeElement.tagName !== 'INPUT') {
      event.preventDefault();
      $('search').focus();
    }
  });

  Promise.all([loadConfig(null), api('api/history'), api('api/sources')]).then(function (results) {
    state.history = results[1];
    state.sources = results[2];
    renderTimeline();
    renderSources();
    connect();
  }).catch(function (error) {
    setStatus('offline', 'down');
    banner('Cannot reach the inspector API: ' + error.message);
  });
`;

/** The whole page script: one closure, strict mode. */
export const PAGE_SCRIPT = `
(function () {${SCRIPT_CORE}${SCRIPT_TREE}${SCRIPT_LIVE}})();
`;
