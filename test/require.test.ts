import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtCjs = join(root, 'dist', 'index.cjs');

/** Builds dist/ with tsup only when it is missing; the reason it could not, otherwise undefined. */
let unavailable: string | undefined;

beforeAll(() => {
  if (existsSync(builtCjs)) return;
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  if (build.status !== 0 || !existsSync(builtCjs)) {
    unavailable = `dist/ is missing and \`npm run build\` failed (status ${build.status}): ${(build.stderr || build.stdout || String(build.error)).slice(-500)}`;
  }
}, 300_000);

describe('CommonJS consumers', () => {
  it("require('livecfg') works in a child process and loads a config", (context) => {
    if (unavailable) {
      console.warn(`skipping the require() test: ${unavailable}`);
      context.skip(unavailable);
    }
    const script = `
      const lib = require(${JSON.stringify(root)});
      const names = ['loadConfig', 'ConfigError', 'file', 'env', 'flags', 'memory', 'Value', 'Config'];
      const missing = names.filter((name) => lib[name] === undefined);
      if (missing.length) throw new Error('missing exports: ' + missing);
      lib.loadConfig({ defaults: { a: 1 }, sources: [lib.memory({ b: '2' })], watch: false })
        .then((config) => process.stdout.write(JSON.stringify({ value: config.value, int: config.at('b').int(0) })));
    `;
    const output = execFileSync(process.execPath, ['-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(JSON.parse(output)).toEqual({ value: { a: 1, b: '2' }, int: 2 });
  });
});
