/** Runs the real node-config in a child process over a config directory, with a given environment and arguments. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PRINT = fileURLToPath(new URL('print-node-config.cjs', import.meta.url));

/**
 * What `require('config')` holds in a fresh process with exactly `env` (plus PATH) and `argv`,
 * parsed from its JSON. Rejects with node-config's stderr when it fails; bounded by `timeoutMs`.
 */
export function realNodeConfig(
  env: Record<string, string>,
  argv: readonly string[] = [],
  cwd?: string,
  timeoutMs = 15_000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRINT, ...argv], {
      cwd,
      env: { PATH: process.env.PATH ?? '', SUPPRESS_NO_CONFIG_WARNING: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(JSON.parse(stdout) as Record<string, unknown>);
      else reject(new Error(`node-config exited (${code ?? signal}):\n${stderr}`));
    });
  });
}
