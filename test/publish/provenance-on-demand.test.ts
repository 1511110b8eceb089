/**
 * Provenance only when asked (issue 21): a reload and the event-loop turns after it never scan a
 * document for origins; `history()` and `explain()` do, once, when they are called.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { file, loadConfig, type Parser } from '../../src/index.js';
import { scanJsonOffsets } from '../../src/reader/formats/json.js';
import { OffsetOrigins } from '../../src/reader/formats/offset-origins.js';
import { TextPositions } from '../../src/reader/formats/text-position.js';
import { next, tempDir } from '../helpers/watch.js';

/** A JSON parser whose lazy origins count the document scans they make. */
function countingJson(): { parser: Parser; scans: () => number } {
  let scans = 0;
  const parser: Parser = {
    name: 'counting-json',
    parse(text, context) {
      return {
        data: JSON.parse(text) as Record<string, unknown>,
        origins: new OffsetOrigins(
          () => {
            scans++;
            return scanJsonOffsets(text);
          },
          new TextPositions(text),
          { file: context.name },
        ),
      };
    },
  };
  return { parser, scans: () => scans };
}

/** Lets every callback already queued (setImmediate, timers of 0 ms) run. */
async function drainTurns(turns = 5): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setTimeout(resolve, 1));
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('provenance only when asked', () => {
  it('a reload and the turns after it scan no document; history() then does, once', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'app.json');
    await writeFile(path, JSON.stringify({ a: { b: 1 }, c: 2 }, null, 2));
    const { parser, scans } = countingJson();
    const config = await loadConfig({ sources: [file(path, { parser })] });
    cleanups.push(() => config.close());

    const changed = next(config.changes$);
    await writeFile(path, JSON.stringify({ a: { b: 5 }, c: 2 }, null, 2));
    expect((await changed).changed).toEqual(['a.b']);
    await drainTurns();
    // The redaction service judges what the change retired by the previous document's origins
    // (interpolated secret variables, resolvers), which need no line or column: nothing is scanned.
    expect(scans()).toBe(0);

    const [entry] = config.history();
    expect(entry?.changes[0]).toMatchObject({ path: 'a.b', previous: 1, value: 5 });
    expect(entry?.changes[0]?.origin).toEqual({ file: path, line: 3, column: 5 });
    expect(scans()).toBe(1);
  });

  it('an entry settled by the next change keeps the origins its document already knew', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'app.json');
    await writeFile(path, JSON.stringify({ a: 1 }));
    const { parser, scans } = countingJson();
    const config = await loadConfig({ sources: [file(path, { parser })] });
    cleanups.push(() => config.close());

    for (const [value, ask] of [
      [2, false],
      [3, true],
      [4, false],
    ] as const) {
      const changed = next(config.changes$);
      await writeFile(path, JSON.stringify({ a: value }));
      await changed;
      if (ask) expect(config.explain('a').origin).toEqual({ file: path, line: 1, column: 2 });
    }
    await drainTurns();
    // explain() scanned version 3's document; nothing else did (the redaction service judges the
    // retired documents without positions). Version 4's is not scanned yet.
    expect(scans()).toBe(1);
    const entries = config.history();
    expect(entries.map((item) => item.changes[0]?.value)).toEqual([4, 3, 2]);
    expect(entries[0]?.changes[0]?.origin).toEqual({ file: path, line: 1, column: 2 });
    expect(entries[1]?.changes[0]?.origin).toEqual({ file: path, line: 1, column: 2 });
    // Settled when version 3 arrived, unasked: the file, without a line.
    expect(entries[2]?.changes[0]?.origin).toEqual({ file: path });
  });
});
