/**
 * The page script's model of the tree: the flat list of nodes in tree order (built once per structure,
 * patched in place when only leaf values change), the search and filters, and the visible rows (the
 * expanded ones, or the matches and their ancestors while searching, without touching expand state).
 * Part of the one closure of PAGE_SCRIPT (script.ts).
 */
export const SCRIPT_MODEL = String.raw`
  // ---- the model ----
  function idOf(path) {
    var id = state.ids.get(path);
    if (id === undefined) { id = 'n' + (state.nextId++); state.ids.set(path, id); }
    return id;
  }
  function leafText(node) {
    var origin = state.origins.get(node.path);
    return (node.path + ' ' + show(node.value) + ' ' + (origin ? origin.origin : '')).toLowerCase();
  }
  // Rebuilds the flat node list from state.value; new branches open when shallow (small configs).
  function buildNodes(openDepth) {
    var nodes = [];
    var byPath = new Map();
    function walk(value, keys, depth, parent) {
      var names = Object.keys(value);
      names.forEach(function (key, index) {
        var child = value[key];
        var path = keys.concat([key]);
        var dotted = formatPath(path);
        var node = { index: nodes.length, path: dotted, keys: path, key: key, depth: depth, parent: parent, pos: index + 1, size: names.length,
          branch: hasKeys(child), value: child, end: 0, text: '' };
        nodes.push(node);
        byPath.set(dotted, node);
        if (node.branch) {
          if (!state.seen || !state.seen.has(dotted)) {
            if (depth < openDepth) state.expanded.add(dotted);
          }
          walk(child, path, depth + 1, node);
        } else {
          node.text = leafText(node);
        }
        node.end = nodes.length;
      });
    }
    if (isBranch(state.value)) walk(state.value, [], 0, null);
    state.nodes = nodes;
    state.byPath = byPath;
    state.seen = new Set(byPath.keys());
    state.leafCount = nodes.reduce(function (n, node) { return n + (node.branch ? 0 : 1); }, 0);
  }
  // Applies one change to state.value and the node list; false when the structure changed (rebuild).
  function patchLeaf(change) {
    if (change.value === undefined) return false;
    if (hasKeys(change.value)) return false;
    var keys = parsePath(change.path);
    if (!keys || keys.length === 0) return false;
    var parent = state.value;
    for (var i = 0; i < keys.length - 1; i++) {
      if (!Object.prototype.hasOwnProperty.call(parent, keys[i]) || !hasKeys(parent[keys[i]])) return false;
      parent = parent[keys[i]];
    }
    var last = keys[keys.length - 1];
    var existed = Object.prototype.hasOwnProperty.call(parent, last);
    if (existed && hasKeys(parent[last])) return false;
    parent[last] = change.value;
    state.origins.set(change.path, { source: change.source || null, origin: change.describedOrigin || '' });
    var node = state.byPath.get(change.path);
    if (!existed || !node) return false;
    node.value = change.value;
    node.text = leafText(node);
    return true;
  }
  function matches(node) {
    if (state.query && node.text.indexOf(state.query) === -1) return false;
    var mode = state.mode;
    if (mode === 'all') return true;
    if (mode === 'changed') return state.changed.has(node.path);
    if (mode === 'secret') return isSecretValue(node.value);
    if (mode === 'gone') return isGone(node.path);
    if (mode.indexOf('source:') === 0) { var o = state.origins.get(node.path); return !!o && o.source === mode.slice(7); }
    return true;
  }
  function isGone(path) {
    var origin = state.origins.get(path);
    return !!origin && state.gone.has(origin.source);
  }
  // The visible rows: expanded branches' children, or (filtering) the matches and their ancestors.
  function computeRows() {
    var nodes = state.nodes;
    var rows = [];
    var matched = 0;
    if (!state.query && state.mode === 'all') {
      for (var i = 0; i < nodes.length; i++) {
        var node = nodes[i];
        rows.push(node);
        if (node.branch && !state.expanded.has(node.path)) i = node.end - 1;
      }
      state.rows = rows;
      state.matched = state.leafCount;
      return;
    }
    var keep = new Uint8Array(nodes.length);
    for (var j = 0; j < nodes.length; j++) {
      var leaf = nodes[j];
      if (leaf.branch || !matches(leaf)) continue;
      matched++;
      keep[j] = 1;
      for (var p = leaf.parent; p && !keep[p.index]; p = p.parent) keep[p.index] = 1;
    }
    for (var k = 0; k < nodes.length; k++) if (keep[k]) rows.push(nodes[k]);
    state.rows = rows;
    state.matched = matched;
  }
  function rowExpanded(node) {
    return !!node.branch && ((state.query || state.mode !== 'all') ? true : state.expanded.has(node.path));
  }
`;
