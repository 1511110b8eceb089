/** The example of docs/openfeature.md runs as written (imports pointed at src/) and prints what it says. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { killAll, ROOT, startTs } from '../examples/child.js';

afterEach(killAll);

it('the "A running example" snippet flips the flag, reports flagsChanged, and the process exits', async () => {
  const doc = await readFile(join(ROOT, 'docs/openfeature.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## A running example'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code).toBeDefined();
  const file = join(ROOT, `test/integrations/.openfeature-snippet-${process.pid}.ts`);
  await writeFile(
    file,
    (code as string)
      .replace("from 'livecfg/openfeature'", "from '../../src/openfeature.js'")
      .replace("from 'livecfg'", "from '../../src/index.js'"),
  );
  // The snippet's temporary folder goes inside one the test removes.
  const tmp = await mkdtemp(join(tmpdir(), 'livecfg-openfeature-doc-'));
  try {
    const child = startTs(file, [], { env: { TMPDIR: tmp } });
    const exit = await child.waitExit(20_000);
    expect(exit, child.output).toEqual({ code: 0, signal: null });
    const lines = child.stdout.trim().split('\n');
    expect(lines[0]).toBe('false');
    expect(lines[1]).toMatch(/^20 STATIC \/.*\/flags-[^/]+\/flags\.yaml:3:3$/);
    expect(lines.slice(2)).toEqual(["[ 'new-checkout' ]", 'true']);
  } finally {
    await rm(file, { force: true });
    await rm(tmp, { recursive: true, force: true });
  }
}, 30_000);
