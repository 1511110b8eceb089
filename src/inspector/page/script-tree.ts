/**
 * The page script's tree view: an ARIA tree with one tab stop (the container, with
 * aria-activedescendant), rendering only the rows in view (windowed), arrow-key navigation, and
 * focus, selection, scroll and expand state kept across live updates. Part of PAGE_SCRIPT (script.ts).
 */
export const SCRIPT_TREE = String.raw`
  // ---- the tree view ----
  var renderQueued = false;
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(function () { renderQueued = false; renderRows(); });
  }
  function refresh() {
    computeRows();
    renderCount();
    renderRows();
  }
  function renderCount() {
    $('count').textContent = state.matched === state.leafCount
      ? state.leafCount.toLocaleString('en') + ' values'
      : state.matched.toLocaleString('en') + ' of ' + state.leafCount.toLocaleString('en') + ' values match';
  }
  // What a row shows; a row element whose signature did not change is left as it is.
  function signature(node) {
    var origin = state.origins.get(node.path);
    var until = state.flashUntil.get(node.path);
    return [node.value, origin && origin.origin, origin && state.gone.has(origin.source), state.selected === node.path,
      state.changed.get(node.path), until && until > Date.now(), rowExpanded(node)];
  }
  function sameSignature(a, b) {
    if (!a) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  // Fills a row element in place (the element stays: a click that re-renders still lands on it).
  function fillRow(row, node) {
    row.className = 'row';
    row.id = idOf(node.path);
    row.setAttribute('role', 'treeitem');
    row.setAttribute('aria-level', String(node.depth + 1));
    row.setAttribute('aria-setsize', String(node.size));
    row.setAttribute('aria-posinset', String(node.pos));
    row.setAttribute('aria-selected', state.selected === node.path ? 'true' : 'false');
    row.dataset.path = node.path;
    var key = el('span', 'key');
    key.style.paddingLeft = (node.depth * 16) + 'px';
    if (node.branch) {
      var open = rowExpanded(node);
      var n = Object.keys(node.value).length;
      row.setAttribute('aria-expanded', open ? 'true' : 'false');
      row.classList.add('branch');
      key.append(el('span', 'twisty', open ? '▾' : '▸'), document.createTextNode(node.key));
      row.replaceChildren(key, el('span', 'count', n + (n === 1 ? ' key' : ' keys')));
      return;
    }
    row.removeAttribute('aria-expanded');
    key.append(document.createTextNode(node.key));
    var since = state.changed.get(node.path);
    if (since !== undefined) { row.classList.add('changed'); key.append(el('span', 'since', 'v' + since)); }
    var until = state.flashUntil.get(node.path);
    if (until && until > Date.now()) row.classList.add('flash');
    var origin = state.origins.get(node.path) || { source: null, origin: '' };
    var badge = el('span', 'origin kind-' + kindOf(origin.source, origin.origin), short(origin.origin));
    badge.title = origin.origin ? 'from ' + (origin.source || 'unknown') + ': ' + origin.origin : '';
    row.replaceChildren(key, valueNode(node.value), badge);
    if (state.gone.has(origin.source)) { row.classList.add('gone'); badge.append(el('span', 'gone-mark', ' (file gone)')); }
  }
  var rendered = new Map();
  function renderRows() {
    var tree = $('tree');
    var rows = $('rows');
    var rowsIndex = state.rowIndex = new Map();
    state.rows.forEach(function (node, i) { rowsIndex.set(node.path, i); });
    rows.style.height = (state.rows.length * ROW) + 'px';
    var height = tree.clientHeight || 600;
    var first = Math.max(0, Math.floor(tree.scrollTop / ROW) - 10);
    var last = Math.min(state.rows.length, Math.ceil((tree.scrollTop + height) / ROW) + 10);
    var active = state.active !== null ? rowsIndex.get(state.active) : undefined;
    var wanted = [];
    for (var i = first; i < last; i++) wanted.push(i);
    // The active row always exists in the DOM (aria-activedescendant must point at an element).
    if (active !== undefined && (active < first || active >= last)) wanted.push(active);
    var next = new Map();
    var elements = wanted.map(function (index) {
      var node = state.rows[index];
      var known = rendered.get(node.path);
      var sig = signature(node);
      var row = known ? known.row : el('div');
      if (!known || !sameSignature(known.sig, sig)) fillRow(row, node);
      row.classList.toggle('active', node.path === state.active);
      row.style.top = (index * ROW) + 'px';
      next.set(node.path, { row: row, sig: sig });
      return row;
    });
    rendered.forEach(function (entry, path) { if (!next.has(path)) entry.row.remove(); });
    rendered = next;
    Array.prototype.slice.call(rows.children).forEach(function (child) { if (!child.dataset.path) child.remove(); });
    elements.forEach(function (row, k) { if (rows.children[k] !== row) rows.insertBefore(row, rows.children[k] || null); });
    if (active === undefined) tree.removeAttribute('aria-activedescendant');
    else tree.setAttribute('aria-activedescendant', idOf(state.active));
    if (state.rows.length === 0) rows.append(el('p', 'hint', state.nodes.length ? 'Nothing matches.' : 'The configuration is empty.'));
  }
  function setActive(path, scroll) {
    state.active = path;
    if (scroll) {
      var i = state.rowIndex ? state.rowIndex.get(path) : undefined;
      var tree = $('tree');
      if (i !== undefined) {
        if (i * ROW < tree.scrollTop) tree.scrollTop = i * ROW;
        else if ((i + 1) * ROW > tree.scrollTop + tree.clientHeight) tree.scrollTop = (i + 1) * ROW - tree.clientHeight;
      }
    }
    renderRows();
  }
  function toggle(node, open) {
    if (!node || !node.branch || state.query || state.mode !== 'all') return;
    if (open === undefined) open = !state.expanded.has(node.path);
    if (open) state.expanded.add(node.path); else state.expanded.delete(node.path);
    refresh();
  }
  function activate(node) {
    if (node.branch) toggle(node);
    else select(node.path);
  }
  function onTreeKey(event) {
    var rows = state.rows;
    if (rows.length === 0) return;
    var i = state.active !== null && state.rowIndex.has(state.active) ? state.rowIndex.get(state.active) : -1;
    var node = rows[i];
    var target = null;
    switch (event.key) {
      case 'ArrowDown': target = rows[Math.min(rows.length - 1, i + 1)]; break;
      case 'ArrowUp': target = rows[Math.max(0, i - 1)]; break;
      case 'Home': target = rows[0]; break;
      case 'End': target = rows[rows.length - 1]; break;
      case 'PageDown': target = rows[Math.min(rows.length - 1, i + 10)]; break;
      case 'PageUp': target = rows[Math.max(0, i - 10)]; break;
      case 'ArrowRight':
        if (node && node.branch) { if (!rowExpanded(node)) toggle(node, true); else target = rows[i + 1]; }
        break;
      case 'ArrowLeft':
        if (node && node.branch && rowExpanded(node) && !state.query && state.mode === 'all') toggle(node, false);
        else if (node && node.parent) target = node.parent;
        break;
      case 'Enter': case ' ':
        if (node) activate(node);
        break;
      default: return;
    }
    event.preventDefault();
    if (target) setActive(target.path, true);
  }
  function onTreeClick(event) {
    var row = event.target.closest('[role=treeitem]');
    if (!row) return;
    var node = state.byPath.get(row.dataset.path);
    if (!node) return;
    state.active = node.path;
    $('tree').focus({ preventScroll: true });
    activate(node);
    renderRows();
  }
  // Opens the ancestors of a path and scrolls it into view (deep links, timeline entries).
  function reveal(path) {
    var node = state.byPath.get(path);
    if (!node) return false;
    for (var p = node.parent; p; p = p.parent) state.expanded.add(p.path);
    computeRows();
    renderCount();
    var i = state.rows.indexOf(node);
    if (i === -1) { state.query = ''; $('search').value = ''; state.mode = 'all'; $('filter').value = 'all'; computeRows(); i = state.rows.indexOf(node); }
    state.rowIndex = new Map(state.rows.map(function (n, k) { return [n.path, k]; }));
    var tree = $('tree');
    tree.scrollTop = Math.max(0, i * ROW - tree.clientHeight / 3);
    setActive(path, true);
    return true;
  }
`;
