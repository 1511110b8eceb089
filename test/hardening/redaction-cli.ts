/**
 * The `livecfg` CLI driven in-process through `runCli` (src/cli/main.ts) with captured stdout and
 * stderr, for the redaction property test. `watch` is interrupted by the test when it has seen what it
 * waits for (an event, never a guessed time).
 */
import { runCli } from '../../src/cli/main.js';

/** What one CLI run printed. */
export interface CliRun {
  args: readonly string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command that ends by itself (print, get, explain, validate). */
export async function runInProcess(args: readonly string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    args,
    {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      untilInterrupted: () => Promise.reject(new Error(`${args[0]} waited for an interrupt`)),
    },
    cwd,
    '0.0.0-test',
  );
  return { args, code, stdout, stderr };
}

/** A running `watch`: its output so far, a way to wait for output, and Ctrl-C. */
export interface WatchRun {
  readonly output: { stdout: string; stderr: string };
  /** Resolves once `done(output)` holds; `nudge` is called now and then meanwhile. Rejects on exit or timeout. */
  until(done: (output: { stdout: string; stderr: string }) => boolean, nudge: () => void): Promise<void>;
  /** Interrupts the watch and resolves with the whole run. */
  stop(): Promise<CliRun>;
}

/** Starts `watch` in-process. */
export function startWatch(args: readonly string[], cwd: string, timeoutMs = 10_000): WatchRun {
  const output = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of listeners) listener();
  };
  let interrupt: () => void = () => {};
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  let exited = false;
  const finished = runCli(
    args,
    {
      stdout: (text) => {
        output.stdout += text;
        notify();
      },
      stderr: (text) => {
        output.stderr += text;
        notify();
      },
      untilInterrupted: () => interrupted,
    },
    cwd,
    '0.0.0-test',
  ).finally(() => {
    exited = true;
    notify();
  });

  return {
    output,
    until(done, nudge) {
      return new Promise((resolve, reject) => {
        let ticks = 0;
        const check = (): void => {
          if (done(output)) finish(resolve);
          else if (exited) finish(() => reject(new Error(`watch exited early\n${JSON.stringify(output)}`)));
        };
        // A watcher that has just started may miss the first write: re-announce it now and then.
        const nudger = setInterval(() => {
          ticks++;
          if (ticks * 200 >= timeoutMs) {
            finish(() =>
              reject(
                new Error(`watch: no expected output within ${timeoutMs} ms\n${JSON.stringify(output)}`),
              ),
            );
          } else nudge();
        }, 200);
        const finish = (settle: () => void): void => {
          clearInterval(nudger);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      interrupt();
      const code = await finished;
      return { args, code, ...output };
    },
  };
}
