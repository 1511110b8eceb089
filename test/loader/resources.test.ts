import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withoutNodeWarnings } from '../helpers/stderr.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <nodeArgs> --import tsx <script> <args>` and resolves on exit; kills it after `limitMs`. */
function runChild(nodeArgs: string[], script: string, args: string[], limitMs: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('resources', () => {
  it('10,000 reloads: no replaced snapshot stays reachable, no growth in active handles', async () => {
    const result = await runChild(['--expose-gc'], fixture('reloads.ts'), ['--handles'], 60_000);
    expect(withoutNodeWarnings(result.stderr)).toBe('');
    expect(result.code).toBe(0);
    const numbers = JSON.parse(result.stdout.trim().split('\n').pop() as string) as {
      reloads: number;
      changes: number;
      growth: number;
      snapshotsTracked: number;
      retainedSnapshots: number;
      resourcesBefore: string[];
      resourcesAfter: string[];
      liveBefore: Record<string, number>;
      liveAfter: Record<string, number>;
    };
    expect(numbers.reloads).toBe(10_000);
    expect(numbers.changes).toBe(11_000); // 1,000 warm-up + 10,000, each one published change
    // Leaks are judged by reachability, not by a heap figure (that lives in bench/): of the 100
    // snapshots watched weakly, only the current one may survive two GCs.
    expect(numbers.snapshotsTracked).toBe(100);
    expect(numbers.retainedSnapshots).toBe(0);
    expect(numbers.resourcesAfter).toEqual(numbers.resourcesBefore);
    // Unref'd handles too (fs watchers, timers), counted with async_hooks.
    expect(numbers.liveAfter).toEqual(numbers.liveBefore);
    expect(numbers.liveAfter.FSEVENTWRAP).toBeGreaterThan(0); // the file is being watched
  }, 60_000);

  it('after close() the process exits at once, with code 0', async () => {
    const result = await runChild([], fixture('exit.ts'), ['close'], 15_000);
    expect(withoutNodeWarnings(result.stderr)).toBe('');
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^done /m);
    // Nothing of livecfg is left that keeps the loop alive: no timer, no watcher (stdio pipes and an
    // fs request that is still settling may remain).
    const left = JSON.parse(result.stdout.replace(/^done /, '')) as string[];
    const ignored = new Set(['PipeWrap', 'TTYWrap', 'FSReqCallback', 'FSReqPromise']);
    expect(left.filter((resource) => !ignored.has(resource))).toEqual([]);
  }, 20_000);

  it('a process that never calls close() still exits (watchers do not keep it alive)', async () => {
    const result = await runChild([], fixture('exit.ts'), ['no-close'], 15_000);
    expect(withoutNodeWarnings(result.stderr)).toBe('');
    // It exited by itself (no signal: the killer's deadline did not pass) after printing `done`.
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^done/m);
  }, 20_000);
});
