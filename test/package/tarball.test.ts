import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { type ChildResult, describeFailure, root, run } from './build.js';
import { packTarball, registryUnreachable } from './pack.js';

/**
 * The published package as a new user gets it: `npm pack`, then `npm install <tarball>` into an empty ESM
 * project and an empty CommonJS project (outside the checkout), each running a small script; and the
 * README's quick start, copied verbatim, compiled with strict tsc and run. Skipped, with the reason
 * printed, when the npm registry cannot be reached (the installs fetch livecfg's dependencies and zod).
 */

const installedVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

let work: string;
let tarball: string;
let skipReason: string | undefined;
const projects: Record<'esm' | 'cjs', string> = { esm: '', cjs: '' };

/** Creates an empty project with `package.json`, then installs the tarball and `extra` packages into it. */
async function project(name: string, type: 'module' | 'commonjs', extra: string[]): Promise<ChildResult> {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `try-${name}`, private: true, type }));
  writeFileSync(join(dir, 'app.json'), JSON.stringify({ server: { port: 8080 }, name: 'from-json' }));
  return run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...extra],
    { cwd: dir, timeoutMs: 120_000 },
  );
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'livecfg-tarball-'));
  tarball = await packTarball(work);
  const [esm, cjs] = await Promise.all([
    project('esm', 'module', [
      `zod@${installedVersion('zod')}`,
      `@types/node@${installedVersion('@types/node')}`,
    ]),
    project('cjs', 'commonjs', []),
  ]);
  for (const [name, result] of [
    ['esm', esm],
    ['cjs', cjs],
  ] as const) {
    if (result.code === 0 && !result.error) {
      projects[name] = join(work, name);
      continue;
    }
    if (registryUnreachable(result.stderr))
      skipReason = `the npm registry is not reachable: ${result.stderr.trim().split('\n')[0]}`;
    else throw new Error(describeFailure(`npm install of the tarball (${name} project)`, result));
  }
  if (skipReason) console.warn(`skipping the tarball tests: ${skipReason}`);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs `node <args>` in a project; fails with its stderr unless it exits 0. */
async function node(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildResult> {
  const result = await run(process.execPath, args, { cwd, timeoutMs: 30_000, env });
  if (result.code !== 0 || result.error) throw new Error(describeFailure(`node ${args.join(' ')}`, result));
  expect(withoutNodeWarnings(result.stderr)).toBe('');
  return result;
}

describe('the npm tarball', () => {
  it('holds the LICENSE, the docs and dist/ only: no source maps, no cli.cjs, no sources or tests', async (context) => {
    const list = await run('tar', ['-tzf', tarball], { cwd: work, timeoutMs: 30_000 });
    if (list.error) context.skip(`tar is not available: ${list.error.message}`);
    const files = list.stdout.trim().split('\n').sort();
    expect(files).toContain('package/LICENSE');
    expect(files).toContain('package/README.md');
    expect(files).toContain('package/dist/cli.js');
    expect(files).toContain('package/dist/index.d.cts');
    expect(
      files.filter((file) => !/^package\/(dist\/[^/]+|[A-Z]+\.md|LICENSE|package\.json)$/.test(file)),
    ).toEqual([]);
    expect(files.filter((file) => file.endsWith('.map') || file.endsWith('cli.cjs'))).toEqual([]);
  });

  it('installs into an empty ESM project: import, load a JSON file, get a value; the bin prints its version', async (context) => {
    if (skipReason) context.skip(skipReason);
    writeFileSync(
      join(projects.esm, 'load.js'),
      `import { loadConfig, file, env, ConfigError, isConfigError } from 'livecfg';
       const config = await loadConfig({ sources: [file('app.json'), env({ prefix: 'TRY_' })] });
       console.log(JSON.stringify({ port: config.get('server.port'), name: config.get('name'), brand: isConfigError(new ConfigError('PARSE', 'x')) }));
       await config.close();`,
    );
    const { stdout } = await node(projects.esm, ['load.js'], { ...process.env, TRY_NAME: 'from-env' });
    expect(JSON.parse(stdout)).toEqual({ port: 8080, name: 'from-env', brand: true });
    const version = await node(projects.esm, [join('node_modules', '.bin', 'livecfg'), '--version']);
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    );
  });

  it('installs into an empty CommonJS project: require, load a JSON file, get a value; the process exits by itself', async (context) => {
    if (skipReason) context.skip(skipReason);
    writeFileSync(
      join(projects.cjs, 'load.js'),
      `const { loadConfig, file } = require('livecfg');
       // watch: true and no close(): livecfg must not keep the process alive.
       loadConfig({ sources: [file('app.json')], watch: true }).then((config) => {
         console.log(JSON.stringify({ port: config.get('server.port'), name: config.get('name') }));
       });`,
    );
    const { stdout } = await node(projects.cjs, ['load.js']);
    expect(JSON.parse(stdout)).toEqual({ port: 8080, name: 'from-json' });
  });

  it("the README's quick start, copied verbatim, compiles under strict tsc and runs", async (context) => {
    if (skipReason) context.skip(skipReason);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Quick start'),
      readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1),
    );
    const shell = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(shell, 'the quick start has a sh block').toBeDefined();
    expect(code, 'the quick start has a ts block').toBeDefined();
    const dir = projects.esm;
    // The shell lines, except the install (the tarball and zod are installed already).
    const setup = shell!
      .split('\n')
      .filter((line) => line.trim() !== '' && !/^npm install\b/.test(line))
      .join('\n');
    expect(shell).toMatch(/^npm install livecfg zod$/m);
    const prepared = await run('sh', ['-c', setup], { cwd: dir, timeoutMs: 30_000 });
    if (prepared.code !== 0) throw new Error(describeFailure('the quick start shell lines', prepared));
    writeFileSync(join(dir, 'main.ts'), code!);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: ['node'],
          outDir: 'out',
          skipLibCheck: true, // as `tsc --init` sets it; attw checks our declarations
        },
        files: ['main.ts'],
      }),
    );
    const tsc = await run(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'],
      {
        cwd: dir,
        timeoutMs: 60_000,
      },
    );
    if (tsc.code !== 0) throw new Error(describeFailure('tsc of the quick start', tsc));
    const { stdout } = await node(dir, [join('out', 'main.js')]);
    expect(stdout).toContain('greeting is now Hello');
    expect(stdout).toContain("source: 'file:config/default.yaml'");
  }, 120_000);
});
