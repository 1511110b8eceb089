/** The source-kit snippet of docs/sources.md runs as written (imports pointed at src/). */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

it('the "Writing a source" snippet prints 8080 then 9090 and the process exits', async () => {
  const doc = await readFile(`${root}docs/sources.md`, 'utf8');
  const section = doc.slice(doc.indexOf('A complete source over a made-up key/value API'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code).toBeDefined();
  const file = `${root}test/source-kit/.snippet-${process.pid}.ts`;
  await writeFile(
    file,
    (code as string)
      .replace("from 'livecfg/source-kit'", "from '../../src/source-kit/index.js'")
      .replace("from 'livecfg'", "from '../../src/index.js'"),
  );
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: root, timeout: 20_000 });
    expect(stdout).toBe('8080\n9090\n');
  } finally {
    await rm(file, { force: true });
  }
}, 30_000);
