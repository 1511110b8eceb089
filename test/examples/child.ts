/**
 * Child processes for the CLI and example tests: start a TypeScript entry point under `node --import tsx`,
 * wait for output (never for a guessed time), signal it and wait for its exit. Every child started
 * here is tracked so `killAll()` in afterEach never leaves one behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI = join(ROOT, 'src/cli.ts');
/** `--import` needs an absolute URL when the child's cwd is a temp directory. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Child {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(readonly process: ChildProcess) {
    process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    process.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      process.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  /** Both streams, for error messages. */
  get output(): string {
    return `--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * Resolves with the first match of `pattern` in the stream's text after `from` (default: anywhere);
   * rejects when the process exits first or after `timeoutMs`.
   */
  waitFor(
    pattern: RegExp,
    options: { stream?: 'stdout' | 'stderr'; from?: number; timeoutMs?: number } = {},
  ): Promise<RegExpExecArray> {
    const { stream = 'stdout', from = 0, timeoutMs = 10_000 } = options;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = pattern.exec(this[stream].slice(from));
        if (match) {
          done();
          resolve(match);
          return true;
        }
        if (this.exit) {
          done();
          reject(
            new Error(`exited (${JSON.stringify(this.exit)}) before ${pattern} on ${stream}\n${this.output}`),
          );
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms\n${this.output}`));
      }, timeoutMs);
      const listener = (): void => void check();
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      check();
    });
  }

  /** Sends `signal` and resolves with the exit; rejects if it has not exited within `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 5000): Promise<Exit & { ms: number }> {
    const started = performance.now();
    this.process.kill(signal);
    return { ...(await this.waitExit(timeoutMs)), ms: performance.now() - started };
  }

  /** Resolves with the exit; rejects after `timeoutMs`. */
  waitExit(timeoutMs = 10_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`still running after ${timeoutMs} ms\n${this.output}`)),
        timeoutMs,
      );
    });
    return Promise.race([this.exited, timeout]).finally(() => clearTimeout(timer));
  }

  get running(): boolean {
    return this.exit === undefined;
  }
}

const children = new Set<Child>();

/** Starts `node --import tsx <entry> ...args`. */
export function startTs(
  entry: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Child {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  const child = new Child(
    spawn(process.execPath, ['--import', TSX, entry, ...args], {
      cwd: options.cwd ?? ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

/** Kills every child still running (afterEach). */
export async function killAll(): Promise<void> {
  const running = [...children].filter((child) => child.running);
  for (const child of running) child.process.kill('SIGKILL');
  await Promise.all(running.map((child) => child.exited));
}

/** Runs the CLI to completion. */
export async function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startTs(CLI, args, options);
  const { code } = await child.waitExit(options.timeoutMs ?? 15_000);
  return { code, stdout: child.stdout, stderr: child.stderr };
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'livecfg-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Retries `attempt` until it returns a value (not `undefined`), calling `nudge` between tries (e.g. to
 * rewrite a file whose change a just-started watcher could miss). Rejects after `timeoutMs`.
 */
export async function eventually<T>(
  attempt: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; nudge?: () => void; what?: string } = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 25, nudge, what = 'condition' } = options;
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  let tries = 0;
  while (performance.now() < deadline) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    tries++;
    // Nudge now and then (not on every try), so a change is re-announced but not flooded.
    if (nudge && tries % 8 === 0) nudge();
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
