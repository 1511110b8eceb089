import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure, type FreshBuild, freshBuild, run } from './package/build.js';

/**
 * The built package as users load it: `dist/` built fresh (into a private folder, so parallel tests never
 * race on the shared `dist/`), installed as `node_modules/livecfg`, loaded by child processes.
 */
let build: FreshBuild;
beforeAll(async () => {
  build = await freshBuild();
}, 240_000);
afterAll(() => build?.remove());

/** Writes `source` as `<name>` in the project and runs it with node; fails the test with its stderr. */
async function runScript(name: string, source: string): Promise<string> {
  const path = join(build.dir, name);
  writeFileSync(path, source);
  const result = await run(process.execPath, [path], { cwd: build.dir, timeoutMs: 30_000 });
  if (result.code !== 0 || result.error) throw new Error(describeFailure(`node ${name}`, result));
  return result.stdout;
}

describe('CommonJS consumers', () => {
  it('resolves livecfg to the fresh build, not to the checkout', async () => {
    const output = await runScript(
      'resolve.cjs',
      `process.stdout.write(JSON.stringify([require.resolve('livecfg'), require.resolve('livecfg/etcd')]));`,
    );
    expect(JSON.parse(output)).toEqual([
      join(build.packageDir, 'dist', 'index.cjs'),
      join(build.packageDir, 'dist', 'etcd.cjs'),
    ]);
  });

  it("require('livecfg') works in a child process and loads a config", async () => {
    const output = await runScript(
      'require.cjs',
      `
      const lib = require('livecfg');
      const names = ['loadConfig', 'ConfigError', 'isConfigError', 'file', 'env', 'flags', 'memory', 'Value', 'Config'];
      const missing = names.filter((name) => lib[name] === undefined);
      if (missing.length) throw new Error('missing exports: ' + missing);
      lib.loadConfig({ defaults: { a: 1 }, sources: [lib.memory({ b: '2' })], watch: false })
        .then((config) => process.stdout.write(JSON.stringify({ value: config.value, int: config.at('b').int(0) })));
      `,
    );
    expect(JSON.parse(output)).toEqual({ value: { a: 1, b: '2' }, int: 2 });
  });

  it("require('livecfg/etcd') resolves the subpath", async () => {
    const output = await runScript('etcd.cjs', `process.stdout.write(typeof require('livecfg/etcd').etcd);`);
    expect(output).toBe('function');
  });
});

describe('class names and errors across the ESM and the CommonJS build in one process', () => {
  it('keeps class names in both builds, and ConfigError instanceof/isConfigError hold across the copies', async () => {
    const output = await runScript(
      'both.mjs',
      `
      import { createRequire } from 'node:module';
      import * as esm from 'livecfg';
      const cjs = createRequire(import.meta.url)('livecfg');
      if (esm.ConfigError === cjs.ConfigError) throw new Error('expected two copies of the class');
      const fromEsm = await esm.loadConfig({ sources: [esm.file('missing.json')] }).catch((e) => e);
      const fromCjs = await cjs.loadConfig({ sources: [cjs.file('missing.json')] }).catch((e) => e);
      const plain = new Error('plain');
      process.stdout.write(JSON.stringify({
        names: [esm.ConfigError.name, cjs.ConfigError.name, esm.Config.name, cjs.Config.name, esm.Value.name, cjs.Value.name],
        errorNames: [fromEsm.name, fromCjs.name, String(fromCjs).split(':')[0]],
        codes: [fromEsm.code, fromCjs.code],
        instanceOf: [fromEsm instanceof cjs.ConfigError, fromCjs instanceof esm.ConfigError, fromEsm instanceof esm.ConfigError, fromCjs instanceof Error],
        isConfigError: [esm.isConfigError(fromCjs), cjs.isConfigError(fromEsm)],
        plain: [plain instanceof esm.ConfigError, esm.isConfigError(plain), cjs.isConfigError({ code: 'PARSE' }), esm.isConfigError(null)],
      }));
      `,
    );
    expect(JSON.parse(output)).toEqual({
      names: ['ConfigError', 'ConfigError', 'Config', 'Config', 'Value', 'Value'],
      errorNames: ['ConfigError', 'ConfigError', 'ConfigError'],
      codes: ['NOT_FOUND', 'NOT_FOUND'],
      instanceOf: [true, true, true, true],
      isConfigError: [true, true],
      plain: [false, false, false, false],
    });
  });

  it('a subclass of ConfigError keeps the ordinary instanceof semantics', async () => {
    const output = await runScript(
      'subclass.mjs',
      `
      import { ConfigError } from 'livecfg';
      class MyError extends ConfigError {}
      const mine = new MyError('PARSE', 'mine');
      const base = new ConfigError('PARSE', 'base');
      process.stdout.write(JSON.stringify([mine instanceof MyError, mine instanceof ConfigError, base instanceof MyError]));
      `,
    );
    expect(JSON.parse(output)).toEqual([true, true, false]);
  });
});
