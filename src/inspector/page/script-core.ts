/**
 * The page script's helpers and state: element building with textContent only (never innerHTML of
 * data), the API fetch, path grammar (formatting and parsing), value display, dates. Part of the one
 * closure of PAGE_SCRIPT (script.ts). Written without template literals so that it lives in this string.
 */
export const SCRIPT_CORE = String.raw`
  'use strict';
  var base = document.querySelector('meta[name="livecfg-base"]').getAttribute('content') || '/';
  var REDACTED = '[redacted]';
  var ROW = 26;
  var $ = function (id) { return document.getElementById(id); };
  var state = {
    instance: null, card: null, version: 0, since: null, value: {}, origins: new Map(),
    changed: new Map(), flashUntil: new Map(), selected: null, active: null,
    history: [], errors: new Map(), sources: [], gone: new Set(),
    nodes: [], byPath: new Map(), rows: [], expanded: new Set(), ids: new Map(), nextId: 1,
    query: '', mode: 'all', connected: false, paused: false, buffered: [],
    loading: null, reloadAgain: false, events: null
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function button(text, onClick, className) {
    var node = el('button', className || null, text);
    node.type = 'button';
    node.addEventListener('click', onClick);
    return node;
  }
  function api(path) {
    return fetch(base + path, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-cache' })
      .then(function (response) {
        if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
        return response.json();
      });
  }
  // livecfg's one path grammar (reader/path.ts): dotted; an empty key or one with a dot, a space, a
  // quote, a backslash, brackets, a star or a control character is written as a JSON string.
  function formatPath(keys) {
    return keys.map(function (key) { return key === '' || /[.\s"\\[\]*\p{C}]/u.test(key) ? JSON.stringify(key) : key; }).join('.');
  }
  function parsePath(text) {
    var keys = [];
    var i = 0;
    while (i <= text.length && text !== '') {
      if (text[i] === '"') {
        var j = i + 1;
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        try { keys.push(JSON.parse(text.slice(i, j + 1))); } catch (e) { return null; }
        i = j + 2;
        continue;
      }
      var dot = text.indexOf('.', i);
      var end = dot === -1 ? text.length : dot;
      keys.push(text.slice(i, end));
      i = end + 1;
    }
    return keys;
  }
  function isBranch(value) { return value !== null && typeof value === 'object' && !Array.isArray(value); }
  function hasKeys(value) { return isBranch(value) && Object.keys(value).length > 0; }
  function isSecretValue(value) {
    if (value === REDACTED) return true;
    if (Array.isArray(value)) return value.length > 0 && value.every(isSecretValue);
    if (isBranch(value)) { var keys = Object.keys(value); return keys.length > 0 && keys.every(function (k) { return isSecretValue(value[k]); }); }
    return false;
  }
  function show(value) {
    if (value === undefined) return '(unset)';
    var text = JSON.stringify(value);
    if (text === undefined) text = String(value);
    return text.length > 160 ? text.slice(0, 157) + '…' : text;
  }
  function valueNode(value) {
    if (value === REDACTED) return el('span', 'val secret', REDACTED);
    return el('span', 'val', show(value));
  }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  // Always a date and a time (local), e.g. 2026-12-03 21:39:33; the ISO text in the tooltip.
  function when(iso) {
    if (!iso) return '–';
    var d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
      pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }
  function timeNode(iso, className) {
    var node = el('time', className || null, when(iso));
    if (iso) node.dateTime = iso;
    return node;
  }
  // A long file path shows as its last segment (the full text is in the tooltip and the details).
  function short(text) {
    if (!text || text.length <= 30) return text || '';
    var match = /^(?:file:)?(\S*\/)([^/\s]+)$/.exec(text);
    return match ? '…/' + match[2] : text;
  }
  // The kind of a source, for the origin badge's colour: file, env, flag, default, remote, memory.
  function kindOf(source, origin) {
    var name = (source || '').split(':')[0];
    if (name === 'file') return 'file';
    if (name === 'env') return 'env';
    if (name === 'flags' || name === 'flag') return 'flag';
    if (name === 'schema' || name === 'defaults' || /default/.test(origin || '')) return 'default';
    if (/^(consul|etcd|vault|http|https)$/.test(name)) return 'remote';
    return 'other';
  }
  function announce(text) { $('announce').textContent = text; }
`;
