/**
 * Precedence of `env({ files })` against a simple model (issue 25 item 3): for each variable, the real
 * environment's value if it sets it, else the last file that sets it; explain names that place.
 * Real files on disk; fast-check from the fixed seed of test/setup.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { env, loadConfig } from '../../../src/index.js';
import { useTempDirs } from '../../helpers/temp-dir.js';

const tempDir = useTempDirs();

const NAMES = ['APP_ALPHA', 'APP_BETA', 'APP_GAMMA__DELTA', 'APP_EPS', 'OTHER'] as const;
/** One layer: some of the names, each with a value (characters dotenv reads unquoted as they are). */
const layer = fc.dictionary(fc.constantFrom(...NAMES), fc.stringMatching(/^[A-Za-z0-9_./:-]{0,10}$/), {
  maxKeys: NAMES.length,
});

/** The model: where each selected variable's value comes from. */
function expected(environ: Record<string, string>, files: Record<string, string>[], paths: string[]) {
  const winners = new Map<string, { value: string; where: string }>();
  files.forEach((variables, index) => {
    const lines = Object.keys(variables);
    for (const [name, value] of Object.entries(variables)) {
      winners.set(name, { value, where: `${paths[index]}:${lines.indexOf(name) + 1}:1 (${name})` });
    }
  });
  for (const [name, value] of Object.entries(environ)) winners.set(name, { value, where: `env ${name}` });
  winners.delete('OTHER');
  return winners;
}

/** `APP_GAMMA__DELTA` → gamma.delta, `APP_ALPHA` → alpha (no schema: lower-cased, `__` nests). */
function pathOf(name: string): string {
  return name.slice('APP_'.length).toLowerCase().split('__').join('.');
}

describe('env({ files }) precedence (property)', () => {
  it('environment > later file > earlier file, values and explain, for any layers', async () => {
    await fc.assert(
      fc.asyncProperty(layer, fc.array(layer, { minLength: 0, maxLength: 3 }), async (environ, files) => {
        const dir = await tempDir();
        const paths = await Promise.all(
          files.map((variables, index) =>
            dir.write(
              `${index}.env`,
              Object.entries(variables)
                .map(([name, value]) => `${name}=${value}\n`)
                .join(''),
            ),
          ),
        );
        const config = await loadConfig({
          sources: [env({ prefix: 'APP_', files: paths, environ: () => ({ ...environ }) })],
          watch: false,
        });
        try {
          const model = expected(environ, files, paths);
          const tree: Record<string, unknown> = {};
          for (const [name, { value }] of model) {
            const keys = pathOf(name).split('.');
            let node = tree;
            for (const key of keys.slice(0, -1)) {
              node[key] ??= {};
              node = node[key] as Record<string, unknown>;
            }
            node[keys[keys.length - 1] as string] = value;
          }
          expect(config.value).toEqual(tree);
          for (const [name, { where }] of model) expect(config.explain(pathOf(name)).description).toBe(where);
        } finally {
          await config.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
