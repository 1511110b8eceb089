/**
 * Cold start (issue 21): importing the built package and what `loadConfig` + `get` of a JSON file and
 * env need load no rxjs and none of `http`, `https`, `worker_threads`, `crypto`, and the root entry is
 * one file. The Observables livecfg hands out load rxjs on first use (test/rx.test.ts holds that they
 * are the user's classes; the second case here that they load then).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreshBuild, freshBuild } from './package/build.js';

let build: FreshBuild;
beforeAll(async () => {
  build = await freshBuild();
}, 300_000);
afterAll(() => build?.remove());

/** What a script loaded: new built-in modules, rxjs files, and what it printed. */
interface Loaded {
  builtins: string[];
  rxjs: number;
  result: unknown;
}

function runScript(body: string, watch = false): Loaded {
  const config = join(build.dir, 'app.json');
  writeFileSync(config, JSON.stringify({ server: { port: 8080 } }));
  writeFileSync(
    join(build.dir, 'script.mjs'),
    `import { createRequire } from 'node:module';
const list = () => process.moduleLoadList.filter((name) => name.startsWith('NativeModule ')).map((name) => name.slice(13));
const before = new Set(list());
const livecfg = await import('livecfg');
const config = await livecfg.loadConfig({ sources: [livecfg.file(${JSON.stringify(config)}), livecfg.env({ prefix: 'APP_' })], watch: ${watch} });
${body}
await config.close();
const cache = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify({
  builtins: list().filter((name) => !before.has(name)),
  rxjs: cache.filter((name) => name.includes('/rxjs/')).length,
  result,
}));
`,
  );
  const child = spawnSync(process.execPath, ['script.mjs'], {
    cwd: build.dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, APP_SERVER__PORT: '9090' },
  });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as Loaded;
}

describe('cold start of the built package', () => {
  it('import + loadConfig(JSON + env) + get + close load no rxjs, http, https, worker_threads or crypto', () => {
    const loaded = runScript('const result = config.get("server.port");');
    expect(loaded.result).toBe('9090');
    expect(loaded.builtins.filter((name) => /^(https?|crypto|worker_threads)$/.test(name))).toEqual([]);
    expect(loaded.rxjs).toBe(0);
  });

  it('with watch: true, the file watch starts without loading rxjs', () => {
    // The loader subscribes the watches on the next turn (setImmediate): two turns later they run.
    const loaded = runScript(
      `await new Promise((resolve) => setImmediate(resolve));
await new Promise((resolve) => setImmediate(resolve));
const result = config.sources().length;`,
      true,
    );
    expect(loaded.result).toBe(2);
    expect(loaded.rxjs).toBe(0);
  });

  it("the root entry imports no other module of the package statically (only esbuild's runtime helper)", () => {
    const dist = join(build.packageDir, 'dist');
    const index = readFileSync(join(dist, 'index.js'), 'utf8');
    const imported = [...index.matchAll(/^(?:import|export)[^;]*?from\s*"\.\/([^"]+)"/gm)].map(
      (match) => match[1] as string,
    );
    // The lazily imported parse-worker script is its own chunk, so esbuild moves its runtime helper
    // (`__name`, for keepNames) into a shared chunk: allowed, as long as that chunk holds nothing else.
    for (const file of imported) {
      const text = readFileSync(join(dist, file), 'utf8');
      expect(text.replace(/\s+/g, ' '), file).toMatch(
        /^var __defProp = [^;]*; var __name = [^;]*; export \{ __name \};?\s*$/,
      );
    }
  });

  it('the first Observable loads rxjs (and it is the rxjs the user imports)', () => {
    const loaded = runScript(`const { Observable } = await import('rxjs');
const result = config.watch('server.port') instanceof Observable && config.changes$ instanceof Observable;`);
    expect(loaded.result).toBe(true);
    expect(loaded.rxjs).toBeGreaterThan(0);
  });
});
