/**
 * The page script's history: the timeline (entries open the key in the drawer, "+N more"), recent-change
 * markers rebuilt from history, a diff between two versions held in history, and the export of the
 * redacted tree as JSON or YAML. Part of the one closure of PAGE_SCRIPT (script.ts).
 */
export const SCRIPT_HISTORY = String.raw`
  // ---- history ----
  function markChanged(entry) {
    entry.changes.forEach(function (change) {
      var known = state.changed.get(change.path);
      if (known === undefined || known < entry.version) state.changed.set(change.path, entry.version);
    });
  }
  function changeLine(change) {
    var line = el('li');
    var path = button(change.path, function () { openPath(change.path); }, 'link mono');
    path.title = 'Show ' + change.path;
    line.append(path, el('span', 'arrow', ':'), valueNode(change.previous), el('span', 'arrow', '→'), valueNode(change.value));
    if (change.describedOrigin) {
      var at = el('span', 'origin', ' ' + short(change.describedOrigin));
      at.title = change.describedOrigin;
      line.append(at);
    }
    return line;
  }
  function renderTimeline() {
    var list = $('timeline');
    if (state.history.length === 0) { list.replaceChildren(el('li', 'hint', 'No changes yet.')); renderDiffChoices(); return; }
    list.replaceChildren.apply(list, state.history.slice(0, 50).map(function (entry) {
      var item = el('li');
      var head = el('div', 'head');
      var from = el('span', 'mono', short(entry.source));
      from.title = entry.source;
      head.append(el('strong', null, 'v' + entry.version), timeNode(entry.timestamp, 'hint'), from);
      var changes = el('ul');
      entry.changes.slice(0, 20).forEach(function (change) { changes.append(changeLine(change)); });
      var more = (entry.more || 0) + Math.max(0, entry.changes.length - 20);
      if (more > 0) changes.append(el('li', 'hint', '+' + more.toLocaleString('en') + ' more'));
      item.append(head, changes);
      return item;
    }));
    renderDiffChoices();
  }
  function renderDiffChoices() {
    var versions = state.history.map(function (entry) { return entry.version; });
    var oldest = versions.length ? versions[versions.length - 1] - 1 : state.version;
    var choices = versions.concat([oldest]);
    ['diff-from', 'diff-to'].forEach(function (id, n) {
      var select = $(id);
      var current = select.value;
      select.replaceChildren.apply(select, choices.map(function (v) { var o = el('option', null, 'v' + v); o.value = String(v); return o; }));
      select.value = current && choices.indexOf(Number(current)) !== -1 ? current : String(n === 0 ? oldest : choices[0]);
    });
  }
  // The leaves that differ between two versions held in history: each path's value at "from" and at "to".
  function diff(from, to) {
    if (from > to) { var t = from; from = to; to = t; }
    var result = new Map();
    var incomplete = false;
    state.history.slice().reverse().forEach(function (entry) {
      if (entry.version <= from || entry.version > to) return;
      if (entry.more) incomplete = true;
      entry.changes.forEach(function (change) {
        var known = result.get(change.path);
        result.set(change.path, { path: change.path, previous: known ? known.previous : change.previous,
          value: change.value, describedOrigin: change.describedOrigin });
      });
    });
    var changes = Array.from(result.values()).filter(function (c) { return JSON.stringify(c.previous) !== JSON.stringify(c.value); });
    return { from: from, to: to, changes: changes, incomplete: incomplete };
  }
  function showDiff() {
    var result = diff(Number($('diff-from').value), Number($('diff-to').value));
    var out = $('diff');
    var list = el('ul', 'diff-list');
    result.changes.forEach(function (change) { list.append(changeLine(change)); });
    var head = el('p', 'hint', result.changes.length + ' value' + (result.changes.length === 1 ? '' : 's') + ' differ between v' + result.from + ' and v' + result.to +
      (result.incomplete ? ' (at least: some versions changed more paths than history lists)' : ''));
    out.replaceChildren(head, list);
  }
  // ---- export (the redacted tree, as the page holds it) ----
  function yamlScalar(value) {
    if (typeof value === 'string') return /^[\w./@:+-][\w ./@:+-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+.\d].*)$/i.test(value) && !/[:]\s|\s$/.test(value) ? value : JSON.stringify(value);
    return JSON.stringify(value);
  }
  function toYaml(value, indent) {
    var lines = [];
    var lead = new Array(indent + 1).join('  ');
    var key = function (k) { return /^[A-Za-z_][\w-]*$/.test(k) ? k : JSON.stringify(k); };
    if (Array.isArray(value)) {
      if (value.length === 0) return lead + '[]';
      value.forEach(function (item) {
        if ((isBranch(item) && Object.keys(item).length) || (Array.isArray(item) && item.length)) lines.push(lead + '-\n' + toYaml(item, indent + 1));
        else lines.push(lead + '- ' + (isBranch(item) ? '{}' : Array.isArray(item) ? '[]' : yamlScalar(item)));
      });
      return lines.join('\n');
    }
    Object.keys(value).forEach(function (k) {
      var v = value[k];
      if ((isBranch(v) && Object.keys(v).length) || (Array.isArray(v) && v.length)) lines.push(lead + key(k) + ':\n' + toYaml(v, indent + 1));
      else lines.push(lead + key(k) + ': ' + (isBranch(v) ? '{}' : Array.isArray(v) ? '[]' : yamlScalar(v)));
    });
    return lines.join('\n');
  }
  function exportTree(format) {
    var text = format === 'yaml'
      ? '# v' + state.version + ', secrets shown as [redacted]\n' + toYaml(state.value, 0) + '\n'
      : JSON.stringify({ version: state.version, value: state.value }, null, 2) + '\n';
    var blob = new Blob([text], { type: format === 'yaml' ? 'application/yaml' : 'application/json' });
    var link = el('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'config-v' + state.version + '.' + format;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    state.lastExport = text;
  }
`;
