/**
 * Builds the package fresh for the packaging tests: `dist/` into a private folder (never the shared
 * `dist/`, which parallel tests and benchmarks read), laid out as an installed `node_modules/livecfg` so
 * that bare specifiers and the `exports` map resolve as they do for a user.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A fresh build installed as `<dir>/node_modules/livecfg`; `remove()` deletes `dir`. */
export interface FreshBuild {
  /** A project folder whose `node_modules/livecfg` is the fresh build. Scripts written here resolve `livecfg`. */
  readonly dir: string;
  /** The installed package folder (`<dir>/node_modules/livecfg`). */
  readonly packageDir: string;
  remove(): void;
}

/** The output of a child process that ran to its end (or failed to start: `error`). */
export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

/** Runs a command to its end, collecting its output; never rejects (spawn errors land in `error`). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv; uid?: number; gid?: number },
): Promise<ChildResult> {
  const result: ChildResult = { code: null, signal: null, stdout: '', stderr: '' };
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // e.g. EPERM: a uid/gid change without the right to do so
    result.error = error instanceof Error ? error : new Error(String(error));
    return Promise.resolve(result);
  }
  return new Promise((resolve) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      result.stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      result.stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      result.error = new Error(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs} ms`);
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (error) => {
      result.error = error;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      result.code = code;
      result.signal = signal;
      resolve(result);
    });
  });
}

/** A one-line account of a child that failed, with the end of its stderr and stdout. */
export function describeFailure(what: string, result: ChildResult): string {
  const status = result.error ? result.error.message : `exit ${result.code ?? result.signal}`;
  return `${what} failed (${status})\n--- stderr ---\n${result.stderr.slice(-3000)}\n--- stdout ---\n${result.stdout.slice(-2000)}`;
}

/**
 * Builds with the project's tsup config into `<root>/.tmp/build-*` (inside the checkout, so the package's
 * own dependencies resolve from the root `node_modules`). Declarations are skipped unless `dts` is set.
 */
export async function freshBuild(options: { dts?: boolean } = {}): Promise<FreshBuild> {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(root, '.tmp', 'build-'));
  const packageDir = join(dir, 'node_modules', 'livecfg');
  mkdirSync(packageDir, { recursive: true });
  // The consumer's own package scope: without it, the checkout's package.json (name "livecfg") is the
  // nearest one, and Node's self-reference would resolve `livecfg` to the checkout's dist/.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'livecfg-consumer', private: true }));
  copyFileSync(join(root, 'package.json'), join(packageDir, 'package.json'));
  const script = `import('tsup').then((tsup) => tsup.build({ outDir: ${JSON.stringify(join(packageDir, 'dist'))}, dts: ${options.dts === true}, silent: true }))`;
  // Generous: declarations for ten entry points take minutes on a busy machine.
  const build = await run(process.execPath, ['-e', script], { cwd: root, timeoutMs: 600_000 });
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  if (build.code !== 0 || build.error) {
    remove();
    throw new Error(describeFailure('tsup build', build));
  }
  return { dir, packageDir, remove };
}

/** The version of a devDependency as package.json pins it (`^1.2.3` → `1.2.3`), for consumer installs. */
export function devVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const range = manifest.devDependencies[name];
  if (range === undefined) throw new Error(`${name} is not a devDependency`);
  return range.replace(/^[~^]/, '');
}
