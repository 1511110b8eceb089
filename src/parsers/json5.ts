import { OffsetOrigins } from '../reader/formats/offset-origins.js';
import { TextPositions } from '../reader/formats/text-position.js';
import type { Parser } from '../source-kit/source.js';
import { scanJson5Offsets } from './json5-offsets.js';
import { defaultExport, optionalModule, optionalParser, parseError } from './optional-module.js';

type Json5 = { parse(text: string): unknown };

const loadJson5 = optionalModule('json5', 'json5', async () => defaultExport<Json5>(await import('json5')));

/** Options of {@link json5}. */
export interface Json5Options {
  /** File extensions it reads when given to `loadConfig({ parsers })` (default `['.json5']`). */
  extensions?: readonly string[];
}

/**
 * A JSON5 parser (comments, trailing commas, unquoted keys, single quotes, hex numbers, `Infinity`)
 * on the `json5` package, an optional dependency loaded on the first document (`npm install json5`).
 * Syntax errors give line and column; origins (`explain()`) give each key's line and column,
 * found lazily by a scanner only when asked.
 *
 * @example
 * import { json5 } from 'livecfg/parsers';
 * await loadConfig({ sources: [file('config/app.json5')], parsers: [json5()] });
 */
export function json5(options: Json5Options = {}): Parser {
  return optionalParser('json5', options.extensions ?? ['.json5'], loadJson5, (JSON5, body, context) => {
    let data: unknown;
    try {
      data = body.trim() === '' ? {} : JSON5.parse(body);
    } catch (error) {
      const { lineNumber, columnNumber, message } = error as {
        lineNumber?: number;
        columnNumber?: number;
        message: string;
      };
      if (typeof lineNumber !== 'number' || typeof columnNumber !== 'number') throw error;
      const reason = message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '');
      throw parseError(context, reason, { line: lineNumber, column: columnNumber, cause: error });
    }
    const decodeKey = (literal: string): string => JSON5.parse(literal) as string;
    return {
      data: data as Record<string, unknown>,
      origins: new OffsetOrigins(() => scanJson5Offsets(body, decodeKey), new TextPositions(body), {}),
    };
  });
}
