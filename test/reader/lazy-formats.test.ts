import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const CHILD = fileURLToPath(new URL('./fixtures/lazy-formats-child.ts', import.meta.url));

describe('format parsers load on first use', () => {
  it('importing livecfg loads neither yaml nor smol-toml; parsing a YAML and a TOML file loads both', async () => {
    const dir = await tempDir();
    const yaml = await dir.write('a.yaml', 'a: 1\n');
    const toml = await dir.write('b.toml', 'b = 2\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, yaml, toml], {
      encoding: 'utf8',
    });
    const result = JSON.parse(stdout) as { afterImport: string[]; afterLoad: string[]; value: unknown };
    expect(result.afterImport).toEqual([]);
    expect(result.afterLoad).toEqual(['smol-toml', 'yaml']);
    expect(result.value).toEqual({ a: 1, b: 2 });
  });
});
