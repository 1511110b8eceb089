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
    const reason = first.message.split('\n')[0] ?? first.message;
    const start = UNCLOSED.has(first.code) ? constructStart(doc.contents, first.pos[0]) : undefined;
    if (start === undefined) throw parseError(context, reason, positions.at(first.pos[0]), first);
    // Point at the line where the broken construct starts; the parser's own position stays in the reason.
    throw parseError(
      context,
      `${reason.replace(/ at line \d+, column \d+:?$/, '')} (still open at ${at(positions, first.pos[0])})`,
      positions.at(start),
      first,
    );
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

/** Errors of a construct left open (a quote, a flow collection), which yaml reports where it gave up. */
const UNCLOSED = new Set(['MISSING_CHAR', 'BAD_INDENT']);

function at(positions: TextPositions, offset: number): string {
  const { line, column } = positions.at(offset);
  return `${line}:${column}`;
}

/**
 * The start of the innermost quoted scalar or flow collection that runs up to `offset`, where the
 * parser gave up on it; `undefined` when there is none (the parser's position is then the best one).
 */
function constructStart(root: Node | null, offset: number): number | undefined {
  const { isMap, isPair, isScalar, isSeq } = yamlModule();
  let found: number | undefined;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const range = (node as Node).range;
    if (!range || range[0] >= offset || range[1] < offset) return;
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    if (quoted || ((isMap(node) || isSeq(node)) && node.flow)) found = range[0];
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        if (isPair(item)) {
          visit(item.key);
          visit(item.value);
        } else visit(item);
      }
    }
  };
  visit(root);
  return found;
}

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
