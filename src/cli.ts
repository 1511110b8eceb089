#!/usr/bin/env node
/** The `livecfg` command: print, get, explain, validate and watch configuration from the command line. */
import { createRequire } from 'node:module';
import { runCli } from './cli/main.js';

/**
 * The installed package's version, read at run time from the package.json beside the built `dist/`
 * folder (or beside `src/` under tsx) instead of bundling the file into the CLI.
 */
function packageVersion(): string {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  return version;
}

/** Resolves on the first SIGINT/SIGTERM; a second one ends the process at once (the default action). */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    // livecfg's own watchers never keep the process alive; `watch` does, until interrupted.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const stop = (): void => {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    untilInterrupted,
  },
  process.cwd(),
  packageVersion(),
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `livecfg: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
