/**
 * nodeConfig()'s order against the real node-config: every file name node-config could read is
 * written (in several formats and directories), each setting `winner` to its own name and a key of
 * its own, and both must end with the same tree, for deployments, instances, short and full host
 * names, several deployments and several directories; then NODE_CONFIG, --NODE_CONFIG and the custom
 * environment variables over the same key.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/index.js';
import { nodeConfig } from '../../../src/node-config.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { realNodeConfig } from './real-node-config.js';

const tempDir = useTempDirs();

const BASES = (envs: string[], host: string, short: string, instance: string) => {
  const names = ['default', ...envs, short, host, 'local'];
  for (const env of envs) names.push(`${short}-${env}`, `${host}-${env}`, `local-${env}`);
  return [...names, ...names.map((name) => `${name}-${instance}`)];
};

/** A file of the format of `ext` setting `winner` and `seen.<file name>`. */
function fileText(ext: string, name: string): string {
  const key = name.replaceAll('.', '_');
  switch (ext) {
    case 'cjs':
      return `module.exports = { winner: ${JSON.stringify(name)}, seen: { ${JSON.stringify(key)}: true } };\n`;
    case 'yaml':
    case 'yml':
      return `winner: ${JSON.stringify(name)}\nseen:\n  ${JSON.stringify(key)}: true\n`;
    default:
      return `{ "winner": ${JSON.stringify(name)}, "seen": { ${JSON.stringify(key)}: true } }\n`;
  }
}

/** Writes every candidate in `exts` into each directory (a name per directory, so the order across directories shows). */
function writeAll(dirs: string[], bases: string[], exts: string[]): void {
  for (const [index, dir] of dirs.entries()) {
    mkdirSync(dir, { recursive: true });
    for (const base of bases) {
      for (const ext of exts)
        writeFileSync(join(dir, `${base}.${ext}`), fileText(ext, `${index}/${base}.${ext}`));
    }
  }
}

async function livecfgTree(environ: Record<string, string>, argv: string[] = []) {
  const config = await loadConfig({ sources: nodeConfig({ environ, argv }), watch: false });
  const value = config.value;
  await config.close();
  return value;
}

const CASES: Array<{ what: string; env: Record<string, string>; dirs: number }> = [
  { what: 'deployment and instance', env: { NODE_ENV: 'production', NODE_APP_INSTANCE: '2' }, dirs: 1 },
  {
    what: 'a full host name beside the short one',
    env: { NODE_CONFIG_ENV: 'qa', HOST: 'web1.example.com' },
    dirs: 1,
  },
  {
    what: 'several deployments',
    env: { NODE_ENV: 'prod,eu', HOSTNAME: 'box', NODE_APP_INSTANCE: '1' },
    dirs: 1,
  },
  { what: 'the default deployment (development)', env: { HOST: 'box' }, dirs: 1 },
  {
    what: 'several directories',
    env: { NODE_ENV: 'test', HOST: 'box.lan', NODE_APP_INSTANCE: '7' },
    dirs: 2,
  },
];

describe('nodeConfig() reads in the real node-config’s order', () => {
  for (const { what, env, dirs: dirCount } of CASES) {
    it(what, async () => {
      const root = await tempDir();
      const dirs = Array.from({ length: dirCount }, (_, index) => root.path(`config${index}`));
      const envs = (env.NODE_CONFIG_ENV ?? env.NODE_ENV ?? 'development').split(',');
      const host = env.HOST ?? env.HOSTNAME ?? 'box';
      writeAll(dirs, BASES(envs, host, host.split('.')[0] as string, env.NODE_APP_INSTANCE ?? 'x'), [
        'cjs',
        'json',
        'json5',
        'yaml',
        'yml',
      ]);
      const settings = { ...env, NODE_CONFIG_DIR: dirs.join(delimiter) };
      const real = await realNodeConfig(settings);
      expect(Object.keys(real.seen as object).length).toBeGreaterThan(10);
      expect(await livecfgTree(settings)).toEqual(real);
    });
  }

  it('puts $NODE_CONFIG, --NODE_CONFIG and custom environment variables where node-config does', async () => {
    const root = await tempDir();
    const dir = root.path('config');
    mkdirSync(dir);
    writeFileSync(join(dir, 'local.json'), '{ "a": "local", "b": "local", "c": "local", "d": "local" }');
    writeFileSync(
      join(dir, 'custom-environment-variables.yaml'),
      'a: VAR_A\nc:\n  __name: VAR_C\n  __format: json\n',
    );
    const env = {
      NODE_CONFIG_DIR: dir,
      NODE_CONFIG: '{"a":"$NODE_CONFIG","b":"$NODE_CONFIG","c":"$NODE_CONFIG"}',
      VAR_A: 'custom env',
      VAR_C: '{"from":"custom env json"}',
      HOST: 'box',
    };
    const argv = ['--NODE_CONFIG={"b":"--NODE_CONFIG","c":"--NODE_CONFIG","d":"--NODE_CONFIG"}'];
    const real = await realNodeConfig(env, argv);
    expect(real).toEqual({
      a: 'custom env',
      b: '--NODE_CONFIG',
      c: { from: 'custom env json' },
      d: '--NODE_CONFIG',
    });
    expect(await livecfgTree(env, argv)).toEqual(real);
  });
});
