/**
 * Consumer projects for the packaging tests: the packed tarball, installed from the npm registry with
 * the packages a user would add, as a user would install it. Both are cached between runs in the
 * system's temp folder (the tarball by a hash of what goes into it, each project by its packages), so
 * that the registry is asked once and later runs only reinstall a changed tarball.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure, root, run } from './build.js';
import { packTarball, registryUnreachable } from './pack.js';

/** Where tarballs and consumer projects are kept between runs. */
export const CACHE = join(tmpdir(), 'livecfg-consumers');

/** Every file under `dir` (recursively), sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** A hash of everything the tarball is made from: the sources, the manifest, the build config, the docs. */
function inputsHash(): string {
  const hash = createHash('sha256');
  const inputs = [
    ...filesUnder(join(root, 'src')),
    ...['package.json', 'tsup.config.ts', 'README.md', 'LICENSE', 'CHANGELOG.md'].map((name) =>
      join(root, name),
    ),
  ];
  for (const path of inputs) {
    if (!existsSync(path)) continue;
    hash.update(path.slice(root.length)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Resolves when `path` exists; rejects when `lock` is gone without it (the build failed) or at the deadline. */
async function waitForFile(path: string, lock: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) return path;
    if (!existsSync(lock)) throw new Error(`the tarball build of another test file failed (${path})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no ${path} within ${timeoutMs} ms`);
}

let tarball: Promise<string> | undefined;
/** The packed tarball of the current sources, built once per input hash (`livecfg-<hash>.tgz`). */
export function cachedTarball(): Promise<string> {
  tarball ??= (async () => {
    mkdirSync(CACHE, { recursive: true });
    const target = join(CACHE, `livecfg-${inputsHash()}.tgz`);
    if (existsSync(target)) return target;
    const lock = `${target}.lock`;
    try {
      mkdirSync(lock); // one test file builds; the others wait for its tarball
    } catch {
      return waitForFile(target, lock, 900_000);
    }
    try {
      const packed = await packTarball(CACHE);
      // A rename is atomic: a waiting test file sees no tarball or a whole one.
      renameSync(packed, target);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
    return target;
  })();
  return tarball;
}

/** An installed consumer project. */
export type Consumer = { dir: string };

/**
 * A project of `type` with the tarball and `packages` installed by a plain `npm install` (no flags that
 * loosen peer checks). The project folder is kept per package list; the tarball is reinstalled when it
 * changed. Throws with npm's output when the install fails (an unreachable registry included).
 */
export async function consumerProject(
  name: string,
  type: 'module' | 'commonjs',
  packages: readonly string[],
): Promise<Consumer> {
  const file = await cachedTarball();
  const key = createHash('sha256')
    .update(JSON.stringify([type, packages]))
    .digest('hex')
    .slice(0, 12);
  const dir = join(CACHE, `${name}-${key}`);
  const marker = join(dir, '.installed');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === file) return { dir };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `try-${name}`, private: true, type }));
  const result = await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', file, ...packages],
    { cwd: dir, timeoutMs: 300_000 },
  );
  if (result.code !== 0 || result.error) {
    // An unreachable registry fails the test like any other install failure: a test never skips itself.
    if (registryUnreachable(result.stderr)) {
      throw new Error(`the npm registry is not reachable: ${result.stderr.trim().split('\n')[0]}`);
    }
    throw new Error(describeFailure(`npm install in the ${name} project`, result));
  }
  writeFileSync(marker, file);
  return { dir };
}
