/**
 * A large real environment (issue 26 item 9): above LARGE_ENVIRONMENT variables, env() reads the
 * environment in one piece (a process report) instead of variable by variable through process.env.
 * It must read exactly what process.env holds, run-time changes included.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LARGE_ENVIRONMENT } from '../../src/sources/env/environ.js';

const child = fileURLToPath(new URL('./fixtures/env-large-child.ts', import.meta.url));

describe('env() in a large real environment (26.9)', () => {
  it('reads every variable, a variable set at run time, and not one deleted at run time', () => {
    const count = LARGE_ENVIRONMENT + 1_000;
    const environment: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (let index = 0; index < count; index++) environment[`APP_K${index}__PORT`] = String(index);
    const run = spawnSync(process.execPath, ['--import', 'tsx', child], {
      env: environment,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toEqual({
      large: true,
      viaReport: process.platform === 'linux',
      same: true,
      keys: count, // k1 … k(count-1), plus late
      late: 'set at run time',
      k1: { port: '1' },
    });
  }, 90_000);
});
