/**
 * Keeps secrets out of a converted JSON Schema, walking it along config paths: a node at a secret path
 * (or marked `secret: true` by zod's metadata) becomes `writeOnly: true` and loses every `default` and
 * `examples` below it; a default object or array loses its secret entries; a string default holding a
 * URL password or another secret shape is dropped. The non-standard `secret` keyword is removed (strict
 * validators such as ajv reject unknown keywords), and so are formats of zod's own that JSON Schema
 * does not define. With `strict`, objects that would drop unknown keys
 * get `additionalProperties: false`.
 */
import { maskByRules } from '../redaction.js';

type Node = Record<string, unknown>;
type IsSecret = (keys: readonly string[]) => boolean;

const EXAMPLE_KEYWORDS = ['default', 'examples', 'example'] as const;
/** Keywords whose schemas describe the same value (no key added to the path). */
const SAME_PATH_LISTS = ['anyOf', 'oneOf', 'allOf'] as const;
const SAME_PATH_ONE = ['not', 'if', 'then', 'else'] as const;
const MAX_DEPTH = 64;
/**
 * The formats of draft 2020-12 (and its vocabularies' registry). zod writes others of its own
 * (`includes`, `starts_with`…, already expressed by `pattern`); validators in strict mode reject an
 * unknown format, so those are removed.
 */
const FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'idn-email',
  'hostname',
  'idn-hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'iri',
  'iri-reference',
  'uuid',
  'uri-template',
  'json-pointer',
  'relative-json-pointer',
  'regex',
]);

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Guards `document` in place (see the module comment). */
export function guardSecrets(document: Node, isSecret: IsSecret, strict: boolean): void {
  const walk = (node: Node, keys: string[] | undefined, secret: boolean, inAllOf: boolean, depth: number) => {
    if (depth > MAX_DEPTH) return;
    // In `$defs` the path is unknown: a key name or a schema mark still tells a secret.
    const marked = node.secret === true;
    delete node.secret;
    if (typeof node.format === 'string' && !FORMATS.has(node.format)) delete node.format;
    const here = secret || marked || (keys !== undefined && keys.length > 0 && isSecret(keys));
    if (here && !secret) node.writeOnly = true;
    if (here) for (const keyword of EXAMPLE_KEYWORDS) delete node[keyword];
    else guardDefault(node, keys, isSecret);
    if (strict && !inAllOf && isNode(node.properties) && node.additionalProperties === undefined) {
      if (node.patternProperties === undefined && node.unevaluatedProperties === undefined) {
        node.additionalProperties = false;
      }
    }
    const child = (key: string) => (keys === undefined ? undefined : [...keys, key]);
    const next = (value: unknown, childKeys: string[] | undefined, allOf = false) => {
      if (isNode(value)) walk(value, childKeys, here, allOf, depth + 1);
    };
    if (isNode(node.properties)) {
      for (const [key, value] of Object.entries(node.properties)) {
        next(value, keys === undefined ? (isSecret([key]) ? ['*', key] : undefined) : child(key));
      }
    }
    if (isNode(node.patternProperties)) {
      for (const value of Object.values(node.patternProperties)) next(value, child('*'));
    }
    next(node.additionalProperties, child('*'));
    next(node.propertyNames, keys);
    next(node.items, child('*'));
    if (Array.isArray(node.prefixItems)) {
      for (const [index, item] of node.prefixItems.entries()) next(item, child(String(index)));
    }
    for (const list of SAME_PATH_LISTS) {
      const options = node[list];
      if (Array.isArray(options))
        for (const option of options) next(option, keys, inAllOf || list === 'allOf');
    }
    for (const keyword of SAME_PATH_ONE) next(node[keyword], keys);
    for (const defs of ['$defs', 'definitions']) {
      if (isNode(node[defs])) for (const value of Object.values(node[defs])) next(value, undefined);
    }
  };
  walk(document, [], false, false, 0);
}

/** Drops the secret parts of a node's `default` (and `examples`), judged at the node's path. */
function guardDefault(node: Node, keys: string[] | undefined, isSecret: IsSecret): void {
  for (const keyword of EXAMPLE_KEYWORDS) {
    if (!(keyword in node)) continue;
    const values = keyword === 'examples' && Array.isArray(node.examples) ? node.examples : [node[keyword]];
    const kept = values.map((value) => withoutSecrets(value, keys, isSecret));
    if (kept.some((value) => value === DROP)) delete node[keyword];
    else node[keyword] = keyword === 'examples' && Array.isArray(node.examples) ? kept : kept[0];
  }
}

const DROP: unique symbol = Symbol('drop');

/** `value` without its secret entries (at `keys`; unknown path: judged by key names), or DROP. */
function withoutSecrets(value: unknown, keys: string[] | undefined, isSecret: IsSecret): unknown {
  if (typeof value === 'string') return maskByRules(value) === value ? value : DROP;
  if (value === null || typeof value !== 'object') return value;
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  const kept: Array<readonly [string, unknown]> = [];
  for (const [key, item] of entries) {
    const path = keys === undefined ? ['*', key] : [...keys, key];
    if (isSecret(path)) continue;
    const inner = withoutSecrets(item, path, isSecret);
    if (inner !== DROP) kept.push([key, inner]);
  }
  if (Array.isArray(value)) return kept.length === value.length ? kept.map(([, item]) => item) : DROP;
  return Object.fromEntries(kept);
}
