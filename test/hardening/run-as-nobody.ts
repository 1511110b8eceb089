/**
 * Runs livecfg as user "nobody" (uid 65534) for the EACCES case of the fault matrix. Root reads any file,
 * so only another user sees EACCES. The child must not depend on reading the checkout (a clone in root's
 * 0700 home is unreadable to nobody): the library is bundled into a world-readable temp folder first.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'tsup';
import { describeFailure, root, run } from '../package/build.js';

const NOBODY = 65534;

/** What a `loadConfig` of the file reported in the child. */
export interface ChildOutcome {
  code: string;
  message: string;
  file?: string;
}

/**
 * Loads `path` with `file()` as uid/gid 65534 and resolves with the error the child saw, or with a `skip`
 * reason when this machine cannot run a child as nobody (no such user rights, node not executable by it).
 * Throws, with the child's stderr, when the child ran but did not report an error.
 */
export async function runAsNobody(path: string): Promise<{ result: ChildOutcome } | { skip: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'livecfg-nobody-'));
  try {
    chmodSync(dir, 0o755);
    await build({
      config: false,
      entry: { livecfg: join(root, 'src', 'index.ts') },
      format: ['cjs'],
      // As in the published CommonJS build: import.meta.url for the lazily required format modules.
      shims: true,
      platform: 'node',
      target: 'node20',
      outDir: dir,
      noExternal: [/./],
      splitting: false,
      dts: false,
      silent: true,
    });
    const script = join(dir, 'load.cjs');
    writeFileSync(
      script,
      `const { loadConfig, file } = require('./livecfg.cjs');
       loadConfig({ sources: [file(${JSON.stringify(path)})], watch: false }).then(
         () => console.log('LOADED'),
         (e) => console.log(JSON.stringify({ code: e.code, message: e.message, file: e.file })),
       );`,
      { mode: 0o644 },
    );
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const asNobody = { cwd: dir, timeoutMs: 30_000, env, uid: NOBODY, gid: NOBODY };
    const probe = await run(
      process.execPath,
      ['-e', `require('fs').accessSync(${JSON.stringify(script)}, require('fs').constants.R_OK)`],
      asNobody,
    );
    if (probe.error || probe.code !== 0) {
      return { skip: `cannot run node as uid ${NOBODY} here: ${describeFailure('the probe', probe)}` };
    }
    const child = await run(process.execPath, [script], asNobody);
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.error || child.code !== 0 || !line.startsWith('{')) {
      throw new Error(describeFailure(`loading ${path} as nobody`, child));
    }
    return { result: JSON.parse(line) as ChildOutcome };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
