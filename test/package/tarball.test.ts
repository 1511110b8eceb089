import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EtcdGateway } from '../../src/sources/etcd/gateway.js';
import { startEtcd } from '../helpers/etcd-server.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { type ChildResult, describeFailure, root, run } from './build.js';
import { cachedTarball, consumerProject } from './consumer.js';

/**
 * The published package as a new user gets it: `npm pack`, then `npm install <tarball>` into an empty ESM
 * project and an empty CommonJS project (outside the checkout), each running a small script (the README's
 * quick start is checked in readme-truth.test.ts). Skipped, with the reason printed, when the npm
 * registry cannot be reached (the installs fetch livecfg's dependencies and zod).
 */

const installedVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

let tarball: string;
let skipReason: string | undefined;
const projects: Record<'esm' | 'cjs', string> = { esm: '', cjs: '' };

beforeAll(async () => {
  tarball = await cachedTarball();
  const [esm, cjs] = await Promise.all([
    consumerProject('tarball-esm', 'module', [
      `zod@${installedVersion('zod')}`,
      `@types/node@${installedVersion('@types/node')}`,
    ]),
    consumerProject('tarball-cjs', 'commonjs', []),
  ]);
  for (const [name, consumer] of [
    ['esm', esm],
    ['cjs', cjs],
  ] as const) {
    if (consumer.dir === undefined) {
      skipReason = consumer.skip;
      continue;
    }
    projects[name] = consumer.dir;
    writeFileSync(
      join(consumer.dir, 'app.json'),
      JSON.stringify({ server: { port: 8080 }, name: 'from-json' }),
    );
  }
  if (skipReason) console.warn(`skipping the tarball tests: ${skipReason}`);
}, 900_000);

/** Runs `node <args>` in a project; fails with its stderr unless it exits 0. */
async function node(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildResult> {
  const result = await run(process.execPath, args, { cwd, timeoutMs: 30_000, env });
  if (result.code !== 0 || result.error) throw new Error(describeFailure(`node ${args.join(' ')}`, result));
  expect(withoutNodeWarnings(result.stderr)).toBe('');
  return result;
}

describe('the npm tarball', () => {
  it('holds the LICENSE, the docs and dist/ only: no source maps, no cli.cjs, no sources or tests', async (context) => {
    const list = await run('tar', ['-tzf', tarball], { cwd: root, timeoutMs: 30_000 });
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

  it('with livecfg/etcd in use: reads a real etcd, and `npm ls --all` lists no grpc, etcd3 or protobuf package', async (context) => {
    if (skipReason) context.skip(skipReason);
    const server = await startEtcd();
    try {
      const admin = new EtcdGateway({ hosts: [server.endpoint] });
      await admin.put('/try/app/server/port', '9090');
      admin.close();
      writeFileSync(
        join(projects.cjs, 'etcd.js'),
        `const { loadConfig } = require('livecfg');
         const { etcd } = require('livecfg/etcd');
         loadConfig({ sources: [etcd({ prefix: '/try/app/', hosts: process.env.TRY_ETCD })] }).then(async (config) => {
           console.log(JSON.stringify({ port: config.get('server.port') }));
           await config.close();
         });`,
      );
      const { stdout } = await node(projects.cjs, ['etcd.js'], { ...process.env, TRY_ETCD: server.endpoint });
      expect(JSON.parse(stdout)).toEqual({ port: 9090 });
      const list = await run('npm', ['ls', '--all', '--parseable'], { cwd: projects.cjs, timeoutMs: 60_000 });
      expect(list.code, list.stderr).toBe(0);
      const installed = list.stdout.trim().split('\n');
      expect(installed.some((path) => path.endsWith(`${join('node_modules', 'livecfg')}`))).toBe(true);
      expect(installed.filter((path) => /grpc|etcd3|protobuf|proto-loader/.test(path))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
