/**
 * Incremental validation reports every issue a full validation reports (issue 26 item 16): two
 * invalid keys saved in one edit give two issues, whether the edit is applied along its paths or rebuilt.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ConfigError, loadConfig, memory } from '../../src/index.js';
import { rejectionOf } from '../helpers/temp-dir.js';
import { next } from '../helpers/watch.js';

const Schema = z.object({
  limits: z.object({ requestsPerSecond: z.number().positive(), burst: z.number().positive() }),
  name: z.string(),
});
const good = { limits: { requestsPerSecond: 10, burst: 5 }, name: 'svc' };
const bad = { limits: { requestsPerSecond: -5, burst: 0 }, name: 'svc' };

async function issuesOfEdit(incremental: boolean): Promise<string[]> {
  const source = memory(good);
  const config = await loadConfig({ schema: Schema, sources: [source], incremental });
  await new Promise((resolve) => setImmediate(resolve));
  const failed = next(config.errors$);
  source.update(bad);
  const error = (await failed) as unknown as ConfigError;
  await config.close();
  return (error.issues ?? []).map((issue) => issue.path).sort();
}

describe('incremental validation reports every issue (26.16)', () => {
  it('an edit with two invalid keys reports both, as a full rebuild and a startup do', async () => {
    const startup = (await rejectionOf(
      loadConfig({ schema: Schema, sources: [memory(bad)] }),
    )) as unknown as ConfigError;
    const expected = ['limits.burst', 'limits.requestsPerSecond'];
    expect((startup.issues ?? []).map((issue) => issue.path).sort()).toEqual(expected);
    expect(await issuesOfEdit(false)).toEqual(expected);
    expect(await issuesOfEdit(true)).toEqual(expected);
  });

  it('two set() paths in separate subtrees: each set reports its own issue, the message names it', async () => {
    const config = await loadConfig({ schema: Schema, sources: [memory(good)] });
    const error = (await rejectionOf(
      config.set('limits', { requestsPerSecond: -1, burst: -1 }),
    )) as unknown as ConfigError;
    expect((error.issues ?? []).map((issue) => issue.path).sort()).toEqual([
      'limits.burst',
      'limits.requestsPerSecond',
    ]);
    expect(error.message).toContain('limits.burst');
    expect(error.message).toContain('limits.requestsPerSecond');
    await config.close();
  });
});
