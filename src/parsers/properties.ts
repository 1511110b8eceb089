import { OffsetOrigins } from '../reader/formats/offset-origins.js';
import { TextPositions } from '../reader/formats/text-position.js';
import { pathKey } from '../reader/provenance.js';
import type { Parser } from '../source-kit/source.js';
import { defaultExport, optionalModule, optionalParser } from './optional-module.js';

type Tree = { [key: string]: string | Tree };
interface PairNode {
  type: string;
  key?: string;
  range?: readonly number[];
}
type DotProperties = {
  parseLines(text: string, ast: true): PairNode[];
  parse(nodes: PairNode[], path: boolean): Tree;
};

const loadDotProperties = optionalModule('dot-properties', 'properties', async () =>
  defaultExport<DotProperties>(await import('dot-properties')),
);

/** Options of {@link properties}. */
export interface PropertiesOptions {
  /** File extensions it reads when given to `loadConfig({ parsers })` (default `['.properties']`). */
  extensions?: readonly string[];
}

/**
 * A Java `.properties` parser on the `dot-properties` package, an optional dependency loaded on the
 * first document (`npm install dot-properties`). Dots in keys nest (`db.host = x` → `{ db: { host: 'x' } }`),
 * as node-config reads them; every value is a string (a schema coerces `"8080"` to a number). A key that
 * is both a value and a parent (`a = 1`, `a.b = 2`) keeps the value under `''`. Origins give each
 * key's line and column, found only when asked.
 *
 * @example
 * import { properties } from 'livecfg/parsers';
 * await loadConfig({ sources: [file('config/app.properties')], parsers: [properties()] });
 */
export function properties(options: PropertiesOptions = {}): Parser {
  const extensions = options.extensions ?? ['.properties'];
  return optionalParser('properties', extensions, loadDotProperties, (module, body) => {
    const nodes = module.parseLines(body, true);
    const data = module.parse(nodes, true);
    const offsets = (): Map<string, number> => {
      const found = new Map<string, number>();
      for (const node of nodes) {
        const start = node.range?.[0];
        if (node.type !== 'PAIR' || node.key === undefined || start === undefined) continue;
        const path = node.key.split('.');
        // `a = 1` beside `a.b = 2` is stored under `a.''`; the pair's own path points there too.
        found.set(pathKey(typeof pathValue(data, path) === 'object' ? [...path, ''] : path), start);
      }
      return found;
    };
    return { data, origins: new OffsetOrigins(offsets, new TextPositions(body), {}) };
  });
}

/** The value at a key path of a parsed tree. */
function pathValue(tree: Tree, path: readonly string[]): unknown {
  let node: unknown = tree;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Tree)[key];
  }
  return node;
}
