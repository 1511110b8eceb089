/** The `env({ files })` snippet of docs/sources.md runs as written (imports pointed at src/). */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

it('the ".env files as environment" snippet prints 6543, the file:line, then 7654, and the process exits', async () => {
  const doc = await readFile(`${root}docs/sources.md`, 'utf8');
  const section = doc.slice(doc.indexOf('### `.env` files as environment'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code).toBeDefined();
  const file = `${root}test/sources/env/.snippet-${process.pid}.ts`;
  await writeFile(file, (code as string).replace("from 'livecfg'", `from '${root}src/index.js'`));
  // The snippet makes its directory under TMPDIR: one of ours, removed after.
  const temp = await mkdtemp(`${tmpdir()}/livecfg-snippet-`);
  try {
    // The real environment must not set the variable: it would win over the files.
    const environ = { ...process.env };
    delete environ.APP_DATABASE_PORT;
    delete environ.APP_DATABASE_HOST;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...environ, TMPDIR: temp },
      timeout: 20_000,
    });
    expect(stdout).toBe('6543\n.env.local:2:1 (APP_DATABASE_PORT)\n7654\n');
  } finally {
    await rm(file, { force: true });
    await rm(temp, { recursive: true, force: true });
  }
}, 30_000);
