import type { Node } from 'yaml';
import { pathKey } from '../provenance.js';
import { nonPlainError, parseError, requireMapping } from './errors.js';
import type { FormatParser } from './format.js';
import { yamlModule } from './lazy-modules.js';
import { OffsetOrigins } from './offset-origins.js';
import { toPlainData } from './plain.js';
import { TextPositions } from './text-position.js';

/** Alias expansions allowed per document; beyond it the document is rejected (alias bombs). */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses YAML 1.2 with eemeli/yaml (loaded on first use). The plain tree comes from `toJS` (the same
 * work as `yaml.parse`); line origins are read from the kept syntax tree only when someone asks
 * (explain, errors). Values of the YAML 1.1 tags become plain data (see `toPlainData`):
 * `!!timestamp` an ISO 8601 string, `!!binary` a base64 string, `!!set` an array of its members,
 * `!!omap` a plain object; anything else that is not plain data is a `PARSE` error naming the path.
 */
export const parseYaml: FormatParser = (text, context) => {
  // A byte order mark is not part of the document: lines and columns count from after it, as editors show them.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const doc = yamlModule().parseDocument(body, { prettyErrors: false, uniqueKeys: true });
  const positions = new TextPositions(body);
  const first = doc.errors[0];
  if (first) {
    const position = positions.at(first.pos[0]);
    throw parseError(context, first.message.split('\n')[0] ?? first.message, position, first);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw parseError(context, (error as Error).message, undefined, error);
  }
  const origins = new OffsetOrigins(() => collectOffsets(doc.contents), positions, context.originBase);
  // Only explicit tags (`!!set`, `!!binary`…) make non-plain values: documents without one skip the walk.
  if (body.includes('!')) {
    data = toPlainData(data, (path, reason) => {
      throw nonPlainError(context, origins, path, reason);
    });
  }
  return { data: requireMapping(data, context), origins };
};

/** Walks the syntax tree once, recording where each key's value starts (its key's offset for mappings). */
function collectOffsets(root: Node | null): Map<string, number> {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlModule();
  const offsets = new Map<string, number>();
  const visit = (node: unknown, path: string[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const childPath = [...path, key];
        const keyRange = isScalar(pair.key) ? pair.key.range : undefined;
        if (keyRange) offsets.set(pathKey(childPath), keyRange[0]);
        visit(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const childPath = [...path, String(index)];
        const range = (item as Node | null)?.range;
        if (range) offsets.set(pathKey(childPath), range[0]);
        if (!isAlias(item)) visit(item, childPath);
      });
    }
  };
  visit(root, []);
  return offsets;
}
