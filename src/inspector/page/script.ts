/**
 * The inspector page's script (inlined into the page; allowed by hash in its CSP). Plain ES2020 for
 * browsers. It builds every element with textContent (never innerHTML of data), loads the config with
 * its origins, and follows `api/events` to update the tree, the timeline, the errors and the sources
 * live. Written without template literals so that it can live inside this TypeScript string.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var base = document.querySelector('meta[name="livecfg-base"]').getAttribute('content') || '/';
  var REDACTED = '[redacted]';
  var $ = function (id) { return document.getElementById(id); };
  var state = {
    version: 0, value: {}, origins: new Map(), changed: new Map(), selected: null,
    history: [], errors: new Map(), sources: [], leaves: [], branches: [], open: new Map(),
    loading: null, reloadAgain: false, source: null, flash: new Set()
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function api(path) {
    return fetch(base + path, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-cache' })
      .then(function (response) {
        if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
        return response.json();
      });
  }
  function formatPath(keys) {
    return keys.map(function (key) { return /[.\s"]/.test(key) ? JSON.stringify(key) : key; }).join('.');
  }
  function isBranch(value) { return value !== null && typeof value === 'object' && !Array.isArray(value); }
  function isSecretValue(value) {
    if (value === REDACTED) return true;
    if (Array.isArray(value)) return value.length > 0 && value.every(isSecretValue);
    if (isBranch(value)) { var keys = Object.keys(value); return keys.length > 0 && keys.every(function (k) { return isSecretValue(value[k]); }); }
    return false;
  }
  function show(value) {
    if (value === undefined) return '(unset)';
    var text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
    if (text === undefined) text = String(value);
    return text.length > 160 ? text.slice(0, 157) + '…' : text;
  }
  function valueNode(value) {
    if (value === REDACTED) return el('span', 'val secret', REDACTED);
    return el('span', 'val', show(value));
  }
  function time(iso) {
    if (!iso) return '–';
    var date = new Date(iso);
    return isNaN(date.getTime()) ? iso : date.toTimeString().slice(0, 8);
  }
  // A long file path shows as its last segment (the full text is in the tooltip and the details).
  function short(text) {
    if (!text || text.length <= 30) return text || '';
    var match = /^(?:file:)?(\S*\/)([^/\s]+)$/.exec(text);
    return match ? '…/' + match[2] : text;
  }
  function announce(text) { $('announce').textContent = text; }
  function banner(text) {
    var node = el('p', 'error-banner', text);
    node.setAttribute('role', 'alert');
    $('tree').replaceChildren(node);
  }

  // ---- the tree ----
  function renderTree(flash) {
    var root = $('tree');
    root.querySelectorAll('details[data-path]').forEach(function (details) {
      state.open.set(details.dataset.path, details.open);
    });
    state.leaves = [];
    state.branches = [];
    var list = el('ul');
    list.setAttribute('role', 'list');
    var total = countLeaves(state.value);
    build(state.value, [], list, 0, total > 400 ? 1 : 3, []);
    root.replaceChildren(list);
    if (state.leaves.length === 0) root.replaceChildren(el('p', 'hint', 'The configuration is empty.'));
    updateSourceFilter();
    applyFilter();
    if (flash) {
      state.leaves.forEach(function (leaf) {
        if (flash.has(leaf.path)) {
          leaf.button.classList.add('flash');
          leaf.ancestors.forEach(function (details) { details.open = true; });
        }
      });
    }
  }
  function countLeaves(value) {
    if (!isBranch(value) || Object.keys(value).length === 0) return 1;
    var n = 0;
    for (var key in value) if (Object.prototype.hasOwnProperty.call(value, key)) n += countLeaves(value[key]);
    return n;
  }
  function build(value, keys, parent, depth, openDepth, ancestors) {
    Object.keys(value).forEach(function (key) {
      var child = value[key];
      var path = keys.concat([key]);
      var dotted = formatPath(path);
      var item = el('li');
      if (isBranch(child) && Object.keys(child).length > 0) {
        var details = el('details');
        details.dataset.path = dotted;
        details.open = state.open.has(dotted) ? state.open.get(dotted) : depth < openDepth;
        var summary = el('summary');
        summary.append(el('span', 'key', key), el('span', 'count', String(Object.keys(child).length)));
        var sub = el('ul');
        sub.setAttribute('role', 'list');
        details.append(summary, sub);
        item.append(details);
        state.branches.push({ item: item, details: details });
        build(child, path, sub, depth + 1, openDepth, ancestors.concat([details]));
      } else {
        var origin = state.origins.get(dotted) || { source: null, origin: '' };
        var button = el('button', 'leaf');
        button.type = 'button';
        button.dataset.path = dotted;
        button.setAttribute('aria-pressed', state.selected === dotted ? 'true' : 'false');
        var keyNode = el('span', 'key', key);
        var since = state.changed.get(dotted);
        if (since !== undefined) { item.className = 'changed'; keyNode.append(el('span', 'since', 'v' + since)); }
        var originNode = el('span', 'origin', short(origin.origin));
        if (origin.origin) originNode.title = 'from ' + (origin.source || 'unknown') + ': ' + origin.origin;
        button.append(keyNode, valueNode(child), originNode);
        button.setAttribute('aria-label', dotted + ' = ' + show(child) + (origin.origin ? ', from ' + origin.origin : ''));
        button.addEventListener('click', function () { select(path, dotted); });
        item.append(button);
        state.leaves.push({
          item: item, button: button, path: dotted, keys: path, ancestors: ancestors,
          source: origin.source, secret: isSecretValue(child),
          text: (dotted + ' ' + show(child) + ' ' + origin.origin).toLowerCase()
        });
      }
      parent.append(item);
    });
  }
  function updateSourceFilter() {
    var select = $('filter');
    var names = new Set();
    state.leaves.forEach(function (leaf) { if (leaf.source) names.add(leaf.source); });
    var existing = new Set();
    Array.prototype.forEach.call(select.options, function (option) { existing.add(option.value); });
    names.forEach(function (name) {
      if (!existing.has('source:' + name)) {
        var option = el('option', null, 'From ' + name);
        option.value = 'source:' + name;
        select.append(option);
      }
    });
  }
  function applyFilter() {
    var query = $('search').value.trim().toLowerCase();
    var mode = $('filter').value;
    var visible = 0;
    state.branches.forEach(function (branch) { branch.item.hidden = true; });
    state.leaves.forEach(function (leaf) {
      var match = (!query || leaf.text.indexOf(query) !== -1) &&
        (mode === 'all' || (mode === 'changed' && state.changed.has(leaf.path)) ||
          (mode === 'secret' && leaf.secret) ||
          (mode.indexOf('source:') === 0 && leaf.source === mode.slice(7)));
      leaf.item.hidden = !match;
      if (match) {
        visible++;
        leaf.ancestors.forEach(function (details) {
          details.parentElement.hidden = false;
          if (query || mode !== 'all') details.open = true;
        });
      }
    });
    $('count').textContent = visible === state.leaves.length
      ? state.leaves.length.toLocaleString('en') + ' values'
      : visible.toLocaleString('en') + ' of ' + state.leaves.length.toLocaleString('en') + ' values match';
  }

  // ---- details (explain) ----
  function select(keys, dotted) {
    state.selected = dotted;
    state.leaves.forEach(function (leaf) { leaf.button.setAttribute('aria-pressed', leaf.path === dotted ? 'true' : 'false'); });
    explain(keys, dotted);
  }
  function explain(keys, dotted) {
    var target = $('details');
    api('api/explain?path=' + encodeURIComponent(JSON.stringify(keys))).then(function (result) {
      if (state.selected !== dotted) return;
      var list = el('dl');
      var row = function (label, node) { list.append(el('dt', null, label)); var dd = el('dd'); dd.append(node); list.append(dd); };
      row('Path', el('code', null, result.path || dotted));
      row('Value', valueNode(result.value));
      row('Source', el('span', null, result.source || '–'));
      row('Origin', el('span', 'mono', result.describedOrigin || '–'));
      if (result.resolvedBy) row('Resolved by', el('span', null, result.resolvedBy));
      if (result.secret) row('Secret', el('span', 'secret', 'yes: always shown as [redacted]'));
      var overridden = el('ol', 'overridden');
      (result.overridden || []).forEach(function (layer) {
        var item = el('li');
        var from = el('span', 'mono', short(layer.source));
        from.title = layer.source;
        item.append(valueNode(layer.value), el('span', 'arrow', 'from'), from,
          el('span', 'origin', ' ' + (layer.describedOrigin || '')));
        overridden.append(item);
      });
      var heading = el('h3', 'hint', result.overridden && result.overridden.length
        ? 'Overrides ' + result.overridden.length + ' lower value' + (result.overridden.length > 1 ? 's' : '') + ' (highest first):'
        : 'Overrides nothing.');
      target.replaceChildren(list, heading, overridden);
    }).catch(function (error) {
      if (state.selected === dotted) target.replaceChildren(el('p', 'hint', dotted + ': ' + error.message));
    });
  }

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
})();
`;
