/**
 * The page script's tree: rendering the merged config with each leaf's origin, search and filters,
 * and the details panel (the whole explain() of a leaf). Part of the one closure of PAGE_SCRIPT (script.ts):
 * it uses the helpers and `state` of script-core.ts. Written without template literals.
 */
export const SCRIPT_TREE = `
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

`;
