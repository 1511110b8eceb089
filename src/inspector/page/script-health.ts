/**
 * The page script's health view: the status bar (live / degraded / rejected, from source health, the
 * open errors and the stream), the banner naming a rejected edit with every issue and the version the
 * live values come from (and since when), the instance card, sources (a file gone is marked), errors.
 * Part of the one closure of PAGE_SCRIPT (script.ts).
 */
export const SCRIPT_HEALTH = String.raw`
  // ---- health ----
  var REJECTED = { PARSE: true, VALIDATION: true, UNSAFE_KEY: true };
  // An error is open until a later version publishes from its source, or its source reads fine again.
  function isOpen(error) {
    if (error.resolved) return false;
    var source = state.sources.find(function (s) { return s.name === error.source; });
    if (source && source.status === 'ok' && source.lastReadAt && source.lastReadAt > error.time) return false;
    return true;
  }
  function openErrors() {
    return Array.from(state.errors.values()).filter(isOpen).sort(function (a, b) { return b.seq - a.seq; });
  }
  function health() {
    var open = openErrors();
    var rejected = open.filter(function (e) { return REJECTED[e.code]; });
    if (rejected.length) return { kind: 'rejected', text: 'rejected', error: rejected[0] };
    var failing = state.sources.filter(function (s) { return s.status !== 'ok'; });
    if (failing.length) return { kind: 'degraded', text: 'degraded: ' + failing.length + ' source' + (failing.length > 1 ? 's' : '') + ' failing' };
    if (open.length) return { kind: 'degraded', text: 'degraded: ' + open[0].code };
    if (!state.connected) return { kind: 'degraded', text: state.paused ? 'paused' : 'reconnecting…' };
    return { kind: 'live', text: state.paused ? 'live (paused)' : 'live' };
  }
  function where(error) {
    if (error.file) return error.file + (error.line ? ':' + error.line + (error.column ? ':' + error.column : '') : '');
    return error.source || '';
  }
  function renderHealth() {
    var h = health();
    var status = $('health');
    status.className = 'health ' + h.kind;
    status.textContent = h.text;
    $('version').textContent = 'v' + state.version;
    var since = $('since');
    since.replaceChildren(document.createTextNode('since '), timeNode(state.since));
    renderBanner(h);
    renderGone();
  }
  function renderBanner(h) {
    var banner = $('banner');
    if (h.kind !== 'rejected') { banner.hidden = true; banner.replaceChildren(); return; }
    var error = h.error;
    var head = el('p', 'banner-head');
    head.append(el('strong', null, 'Rejected edit'), document.createTextNode(' from '),
      el('span', 'mono', error.source || 'unknown source'), document.createTextNode(' at '),
      el('span', 'mono', where(error)), document.createTextNode(' ('), timeNode(error.time), document.createTextNode(')'));
    var issues = el('ul', 'issues');
    var list = error.issues && error.issues.length ? error.issues : null;
    if (list) {
      list.forEach(function (issue) {
        var item = el('li');
        item.append(el('code', null, issue.path || '(root)'), document.createTextNode(': ' + issue.message));
        if (issue.where) item.append(el('span', 'hint', ' (' + issue.where + ')'));
        issues.append(item);
      });
    } else {
      issues.append(el('li', 'mono', error.code + ': ' + error.message));
    }
    var live = el('p', 'banner-live');
    live.append(document.createTextNode('Live values are still those of v' + state.version + ', published '),
      timeNode(state.since), document.createTextNode('.'));
    banner.replaceChildren(head, issues, live);
    banner.hidden = false;
  }
  function renderGone() {
    var gone = new Set();
    state.sources.forEach(function (s) {
      if (s.status !== 'ok' && s.lastError && s.lastError.code === 'NOT_FOUND' && /^file:/.test(s.name)) gone.add(s.name);
    });
    var changed = gone.size !== state.gone.size || Array.from(gone).some(function (n) { return !state.gone.has(n); });
    state.gone = gone;
    var option = $('filter').querySelector('option[value=gone]');
    if (gone.size && !option) { option = el('option', null, 'From a file that is gone'); option.value = 'gone'; $('filter').append(option); }
    if (changed) refresh();
  }
  function renderInstance() {
    var card = state.card;
    if (!card) return;
    var list = el('dl');
    var row = function (label, node) { list.append(el('dt', null, label)); var dd = el('dd'); dd.append(node); list.append(dd); };
    row('Service', el('span', null, card.service));
    row('Host', el('span', 'mono', card.host));
    row('PID', el('span', 'mono', card.pid));
    row('Started', timeNode(card.startedAt));
    row('Instance', el('span', 'mono', card.instance));
    row('livecfg', el('span', 'mono', card.livecfgVersion || 'unknown'));
    $('instance').replaceChildren(list);
  }
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
      var gone = state.gone.has(source.name);
      var status = el('td', source.status === 'ok' ? 'ok' : 'bad', gone ? 'file gone' : source.status);
      if (source.lastError) status.title = source.lastError.code + ': ' + source.lastError.message;
      var read = el('td'); read.append(timeNode(source.lastReadAt));
      var changed = el('td'); changed.append(timeNode(source.lastChangeAt));
      row.append(name, status, read, changed);
      body.append(row);
      if (source.lastError) {
        var errorRow = el('tr');
        var cell = el('td', 'bad', source.lastError.code + ': ' + source.lastError.message +
          (gone ? ' (its last values are still live, marked “file gone”)' : ''));
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
      var item = el('li', isOpen(error) ? 'open' : 'resolved');
      var head = el('div', 'head');
      head.append(el('span', 'code', error.code), timeNode(error.time, 'hint'), el('span', 'mono hint', short(where(error))));
      if (!isOpen(error)) {
        head.append(el('span', 'resolved-mark', error.resolved ? 'resolved by v' + error.resolved.version : 'resolved: source reads fine'));
      }
      item.append(head, el('span', 'where mono', error.message));
      return item;
    }));
  }
`;
