/**
 * The page script's details drawer: a key's explain() (value, source, origin, the override stack), the
 * schema's description, default, type and constraints, "the schema dropped this key" for a key a
 * source sets but the config does not have, its own history old → new, copy path and value, and the
 * `#path` deep link that opens it (also for a key not in the tree). On a phone the drawer is a bottom
 * sheet (style.ts). Part of the one closure of PAGE_SCRIPT (script.ts).
 */
export const SCRIPT_DRAWER = String.raw`
  // ---- details drawer ----
  function openPath(path) {
    // A key that is not in the tree still opens: a source may set it and the schema have dropped it.
    if (state.byPath.has(path)) reveal(path);
    else announce(path + ' is not in the current configuration');
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
      if (result.dropped) {
        var undeclared = result.schema && result.schema.dropped ? ': the schema does not declare it (check the spelling)' : '';
        row('Value', el('span', 'bad dropped', 'the schema dropped this key' + undeclared));
      } else row('Value', valueNode(result.value));
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
      target.replaceChildren(list, actions, schemaFacts(result.schema),
        el('h3', null, n ? 'Override stack: overrides ' + n + ' lower value' + (n > 1 ? 's' : '') + ' (highest first)' : 'Override stack: overrides nothing'), stack,
        el('h3', null, 'History of this key'), keyHistory(path));
    }).catch(function (error) {
      if (state.selected !== path) return;
      var unset = /HTTP 404$/.test(error.message);
      target.replaceChildren(el('p', 'hint', unset ? path + ' is not set: no source sets it and the schema has no default' : path + ': ' + error.message));
    });
  }
  // What the schema says about the key (never a secret's default: the server does not send it).
  function schemaFacts(facts) {
    var box = el('section', 'schema-facts');
    box.append(el('h3', null, 'Schema'));
    if (!facts) { box.append(el('p', 'hint', 'No schema: loadConfig({ schema }) describes keys here.')); return box; }
    if (facts.error) { box.append(el('p', 'hint', 'No schema details: ' + facts.error)); return box; }
    if (!facts.declared) { box.append(el('p', 'hint', 'The schema does not declare this key.')); return box; }
    var list = el('dl');
    var row = function (label, node) { list.append(el('dt', null, label)); var dd = el('dd'); dd.append(node); list.append(dd); };
    row('Description', facts.description ? el('span', 'schema-description', facts.description) : el('span', 'hint', 'none'));
    if (facts.type) row('Type', el('code', null, facts.type));
    if (facts.secret) row('Default', el('span', 'hint', 'not shown: a secret'));
    else if (Object.prototype.hasOwnProperty.call(facts, 'default')) row('Default', valueNode(facts.default));
    if (facts.constraints && facts.constraints.length) {
      var constraints = el('ul', 'constraints');
      facts.constraints.forEach(function (line) { constraints.append(el('li', 'mono', line)); });
      row('Constraints', constraints);
    }
    box.append(list);
    return box;
  }
  function openFromHash() {
    if (!location.hash || location.hash.length < 2) return;
    var path;
    try { path = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (state.selected !== path) openPath(path);
  }
`;
