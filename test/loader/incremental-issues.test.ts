/**
 * A rejected reload names every schema issue, as the first load does: the incremental validation
 * (one schema point per changed root) collects the issues of all points before it throws.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ConfigError, file, loadConfig } from '../../src/index.js';

const Schema = z.looseObject({
  server: z.looseObject({ port: z.number().int().positive(), host: z.string() }),
  payments: z.looseObject({ retries: z.number().int().min(0) }),
});

describe('incremental validation', () => {
  it('a reload that breaks two subtrees reports both issues, with their file:line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'livecfg-issues-'));
    const path = join(dir, 'app.yaml');
    await writeFile(path, 'server:\n  host: x\n  port: 1\npayments:\n  retries: 3\n');
    const config = await loadConfig({ schema: Schema, sources: [file(path)], debounceMs: 0 });
    try {
      const error = new Promise<ConfigError>((resolve) => {
        const subscription = config.errors$.subscribe((e) => {
          subscription.unsubscribe();
          resolve(e);
        });
      });
      await writeFile(path, 'server:\n  host: [1, 2]\n  port: 1\npayments:\n  retries: many\n');
      const rejected = await error;
      expect(rejected.code).toBe('VALIDATION');
      expect(rejected.issues?.map((issue) => issue.path).sort()).toEqual(['payments.retries', 'server.host']);
      expect(rejected.message).toContain(`${path}:5:3: payments.retries`);
      expect(config.get('server.host')).toBe('x');
    } finally {
      await config.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
