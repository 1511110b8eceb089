/**
 * The `.env` variable reader of `env({ files })` (reader/formats/dotenv.ts) against its reference:
 * Node's own `util.parseEnv` of the whole text. On well-formed files (blank lines, comments at the
 * start of a line, `export`, quoted and multi-line values, names set twice) both give the same values,
 * and each variable's line is the line that set it last. Where parseEnv would silently fold a stray line
 * into the next variable's name, the reader stops with PARSE at that line.
 */
import { parseEnv } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { dotenvVariables } from '../../src/reader/formats/dotenv.js';

const name = fc.constantFrom('A', 'B_C', 'app.x', 'D-E', 'F1');
const plain = fc.stringMatching(/^[A-Za-z0-9_./:-]{0,8}$/);
const quotedText = fc.stringMatching(/^[A-Za-z0-9 #=_.:-]{0,8}$/);

/** One line group of a file, and the variable it sets (if any) with its value and line count. */
type Piece = { text: string; set?: { name: string; value: string } };
const piece: fc.Arbitrary<Piece> = fc.oneof(
  fc.constant({ text: '' }),
  fc.constant({ text: '# a comment' }),
  fc.record({ name, value: plain, exported: fc.boolean() }).map(({ name: n, value, exported }) => ({
    text: `${exported ? 'export ' : ''}${n}=${value}`,
    set: { name: n, value },
  })),
  fc
    .record({ name, value: quotedText, quote: fc.constantFrom('"', "'") })
    .map(({ name: n, value, quote }) => ({
      text: `${n}=${quote}${value}${quote} # trailing`,
      set: { name: n, value },
    })),
  fc.record({ name, first: quotedText, second: quotedText }).map(({ name: n, first, second }) => ({
    text: `${n}="${first}\n${second}"`,
    set: { name: n, value: `${first}\n${second}` },
  })),
);

describe('dotenvVariables (property)', () => {
  it('gives parseEnv’s values for well-formed files, each with the line that set it last', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (pieces, eol) => {
        const text = pieces.map((item) => item.text.split('\n').join(eol)).join(eol) + eol;
        const model = new Map<string, { value: string; line: number }>();
        let line = 1;
        for (const item of pieces) {
          if (item.set) {
            model.delete(item.set.name);
            model.set(item.set.name, { value: item.set.value, line });
          }
          line += item.text.split('\n').length;
        }
        const read = dotenvVariables(text, '.env');
        expect(read.map((variable) => [variable.name, variable.value, variable.line])).toEqual(
          [...model].map(([key, { value, line: at }]) => [key, value, at]),
        );
        // The reference reader agrees on every value.
        expect(Object.fromEntries(read.map((variable) => [variable.name, variable.value]))).toEqual({
          ...parseEnv(text),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a stray line is PARSE at its line, where parseEnv would lose the next variable', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 5 }),
        fc.constantFrom('junk', 'A B=1', '=1', 'export', 'A:1'),
        (before, stray) => {
          const lines = [...Array.from({ length: before }, (_, index) => `V${index}=x`), stray, 'NEXT=1'];
          const text = `${lines.join('\n')}\n`;
          let error: unknown;
          try {
            dotenvVariables(text, 'dir/.env');
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(ConfigError);
          expect(error).toMatchObject({ code: 'PARSE', line: before + 1, column: 1 });
          expect((error as Error).message.startsWith(`dir/.env:${before + 1}:1: `)).toBe(true);
          expect((error as Error).message).not.toContain(stray);
        },
      ),
    );
  });
});
