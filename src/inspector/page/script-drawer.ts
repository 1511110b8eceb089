/**
 * The page script's details drawer: a key's explain() (value, source, origin, the override stack), its
 * own history old → new, copy path and value, and the `#path` deep link that opens it. On a phone the
 * drawer is a bottom sheet (style.ts). Part of the one closure of PAGE_SCRIPT (script.ts).
 */
export const SCRIPT_DRAWER = String.raw`
  // ---- details drawer ----
  function openPath(path) {
    if (!state.byPath.has(path)) { announce(path + ' is not in the current configuration'); return; }
    reveal(path);
    select(path);
  }
  function select(path) {
    state.selected = path;
    if (location.hash !== '#' + encodeURIComponent(path)) history.replaceState(null, '', '#' + encodeURIComponent(path));
    renderRows();
    explain(path);
    var drawer = $('drawer');
    drawer.classList.add('open');
  }
  function closeDrawer() {
    state.selected = null;
    $('drawer').classList.remove('open');
    history.replaceState(null, '', location.pathname + location.search);
    $('details').replaceChildren(el('p', 'hint', 'Select a value to see where it came from and what it overrides.'));
    renderRows();
    $('tree').focus();
  }
  function copy(text, what) {
    var done = function () { announce('Copied ' + what); };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    else { fallbackCopy(text); done(); }
  }
  function fallbackCopy(text) {
    var area = el('textarea');
    area.value = text;
    area.setAttribute('aria-hidden', 'true');
    area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.append(area);
    area.select();
    try { document.execCommand('copy'); } catch (e) { /* nothing to do */ }
    area.remove();
  }
  function keyHistory(path) {
    var list = el('ol', 'key-history');
    state.history.forEach(function (entry) {
      entry.changes.forEach(function (change) {
        if (change.path !== path) return;
        var item = el('li');
        item.append(el('strong', null, 'v' + entry.version), document.createTextNode(' '), timeNode(entry.timestamp, 'hint'),
          el('br'), valueNode(change.previous), el('span', 'arrow', '→'), valueNode(change.value));
        list.append(item);
      });
    });
    return list.children.length ? list : el('p', 'hint', 'No change to this key in the history held.');
  }
  function explain(path) {
    var keys = parsePath(path) || [path];
    var target = $('details');
    api('api/explain?path=' + encodeURIComponent(JSON.stringify(keys))).then(function (result) {
      if (state.selected !== path) return;
      var list = el('dl');
      var row = function (label, node) { list.append(el('dt', null, label)); var dd = el('dd'); dd.append(node); list.append(dd); };
      row('Path', el('code', null, path));
      row('Value', valueNode(result.value));
      row('Source', el('span', null, result.source || '–'));
      row('Origin', el('span', 'mono', result.describedOrigin || '–'));
      if (state.gone.has(result.source)) row('Note', el('span', 'bad', 'this file is gone; the value stays live until a change replaces it'));
      if (result.resolvedBy) row('Resolved by', el('span', null, result.resolvedBy));
      if (result.secret) row('Secret', el('span', 'secret', 'yes: always shown as [redacted]'));
      var actions = el('p', 'actions');
      actions.append(
        button('Copy path', function () { copy(path, 'the path'); }),
        button('Copy value', function () { copy(typeof result.value === 'string' ? result.value : JSON.stringify(result.value), 'the value'); }),
        button('Copy link', function () { copy(location.href.split('#')[0] + '#' + encodeURIComponent(path), 'the link'); }));
      var stack = el('ol', 'overridden');
      var winner = el('li', 'winner');
      winner.append(valueNode(result.value), el('span', 'arrow', 'from'), el('span', 'mono', result.describedOrigin || '–'));
      stack.append(winner);
      (result.overridden || []).forEach(function (layer) {
        var item = el('li');
        var from = el('span', 'mono', short(layer.source));
        from.title = layer.source;
        item.append(valueNode(layer.value), el('span', 'arrow', 'from'), from, el('span', 'hint mono', ' ' + (layer.describedOrigin || '')));
        stack.append(item);
      });
      var n = (result.overridden || []).length;
      target.replaceChildren(list, actions,
        el('h3', null, n ? 'Override stack: overrides ' + n + ' lower value' + (n > 1 ? 's' : '') + ' (highest first)' : 'Override stack: overrides nothing'), stack,
        el('h3', null, 'History of this key'), keyHistory(path));
    }).catch(function (error) {
      if (state.selected === path) target.replaceChildren(el('p', 'hint', path + ': ' + error.message));
    });
  }
  function openFromHash() {
    if (!location.hash || location.hash.length < 2) return;
    var path;
    try { path = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (state.byPath.has(path) && state.selected !== path) openPath(path);
  }
`;
