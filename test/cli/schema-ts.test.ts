import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { type ChildResult, devVersion, run } from '../package/build.js';
import { consumerProject } from '../package/consumer.js';

/**
 * `livecfg validate --schema ./schema.ts` as a user runs it: the packed CLI under plain `node`, in a
 * project with tsx installed (`.ts`, `.mts`, `.cts` load through tsx's ESM API) and in one without
 * (exit 2 with a message naming the fix).
 */

const SCHEMA = `import { z } from 'zod';
export const Schema = z.object({ server: z.object({ port: z.number().int().positive() }) });
`;

function cli(dir: string, args: string[]): Promise<ChildResult> {
  return run(process.execPath, [join(dir, 'node_modules', 'livecfg', 'dist', 'cli.js'), ...args], {
    cwd: dir,
    timeoutMs: 60_000,
  });
}

describe('--schema with a TypeScript module (the packed CLI, plain node)', () => {
  it.for(['ts', 'mts', 'cts'])(
    'loads schema.%s through tsx when tsx is installed',
    { timeout: 900_000 },
    async (extension, _context) => {
      const consumer = await consumerProject('cli-tsx', 'module', [
        `zod@${devVersion('zod')}`,
        `tsx@${devVersion('tsx')}`,
      ]);
      const dir = consumer.dir;
      writeFileSync(join(dir, `schema.${extension}`), SCHEMA);
      writeFileSync(join(dir, 'good.yaml'), 'server:\n  port: 8080\n');
      writeFileSync(join(dir, 'bad.yaml'), 'server:\n  port: -1\n');
      const good = await cli(dir, [
        'validate',
        '-f',
        'good.yaml',
        '--schema',
        `./schema.${extension}#Schema`,
      ]);
      expect(withoutNodeWarnings(good.stderr)).toBe('');
      expect(good.code).toBe(0);
      const bad = await cli(dir, ['validate', '-f', 'bad.yaml', '--schema', `./schema.${extension}#Schema`]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^bad\.yaml:2:\d+: server\.port: /m);
    },
  );

  it('without tsx, exits 2 naming the fix', async (_context) => {
    const consumer = await consumerProject('cli-no-tsx', 'module', [`zod@${devVersion('zod')}`]);
    const dir = consumer.dir;
    writeFileSync(join(dir, 'schema.ts'), SCHEMA);
    writeFileSync(join(dir, 'good.yaml'), 'server:\n  port: 8080\n');
    const result = await cli(dir, ['validate', '-f', 'good.yaml', '--schema', './schema.ts#Schema']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot load --schema ./schema.ts');
    expect(result.stderr).toContain('npm install --save-dev tsx');
  }, 900_000);
});
