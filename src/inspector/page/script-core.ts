/**
 * The page script's helpers and state: element building with textContent only (never innerHTML of
 * data), the API fetch, path formatting, value display. Part of the one closure of PAGE_SCRIPT (script.ts).
 * Written without template literals so that it can live inside this TypeScript string.
 */
export const SCRIPT_CORE = String.raw`
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

`;
