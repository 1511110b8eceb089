/**
 * node-config's own test configuration (test/fixtures/node-config, see its README) through
 * nodeConfig(): the merged values node-config's config tests expect, and the same tree as the real
 * node-config (the `config` devDependency, run in a child process) over the same files and settings.
 */
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/index.js';
import { nodeConfig } from '../../../src/node-config.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { realNodeConfig } from './real-node-config.js';

const FIXTURES = new URL('../../fixtures/node-config/', import.meta.url).pathname;
const CONFIG_DIR = join(FIXTURES, 'config');
const tempDir = useTempDirs();

/** node-config's test settings (its 2-config-test.js): deployment, instance, NODE_CONFIG, one mapped variable. */
const ENV = {
  NODE_ENV: 'test',
  NODE_APP_INSTANCE: '3',
  NODE_CONFIG: '{"EnvOverride":{"parm3":"overridden from $NODE_CONFIG","parm4":100}}',
  CUSTOM_JSON_ENVIRONMENT_VAR: 'CUSTOM VALUE FROM JSON ENV MAPPING',
  HOST: 'no-such-host.example',
};
const ARGV = ['--NODE_CONFIG={"EnvOverride":{"parm5":"overridden from --NODE_CONFIG","parm6":101}}'];

async function livecfgTree(dir: string, env: Record<string, string> = ENV, argv = ARGV) {
  const config = await loadConfig({
    sources: nodeConfig({ environ: { ...env, NODE_CONFIG_DIR: dir }, argv }),
    watch: false,
  });
  try {
    return { value: config.value as Record<string, unknown>, explain: config.explain.bind(config) };
  } finally {
    await config.close();
  }
}

describe("node-config's test configuration through nodeConfig()", () => {
  it('merges to the values node-config’s config tests expect', async () => {
    const { value } = await livecfgTree(CONFIG_DIR);
    const get = (path: string): unknown =>
      path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], value);
    // Configuration file tests
    expect(get('Customers.dbHost')).toBe('base'); // default.js
    expect(get('TestModule.parm1')).toBe('value1');
    expect(get('AnotherModule.parm1')).toBe('value1'); // default.json (with a comment: JSON5)
    expect(get('Inline.a')).toBe('');
    expect(get('Inline.b')).toBe('1');
    expect(get('ContainsQuote')).toBe('"this has a quote"');
    expect(get('AnotherModule.parm2')).toBe('value2'); // .yaml
    expect(get('AnotherModule.parm2yml')).toBe('value2yml'); // .yml
    expect(get('AnotherModule.parm5')).toBe('value5'); // .properties
    expect(get('AnotherModule.parm6')).toBe('value6'); // .json5
    expect(get('AnotherModule.parm7')).toBe('value7'); // .toml
    expect(get('AnotherModule.parm9')).toBe('value9'); // .xml
    expect(get('AnotherModule.parm10')).toBe('from default-3.json'); // the instance file
    expect(get('Customers.dbPort')).toBe('5999'); // test.json, the deployment
    expect(get('Customers.dbPassword')).toBe('real password'); // local.yml
    expect(get('Customers.dbPassword2')).toBe('another password'); // local-test.json
    expect(get('Customers.lang')).toEqual(['en', 'de', 'es']);
    expect(get('MuteThis')).toBe('hello');
    expect(get('Customers.emptySub')).toEqual({});
    // $NODE_CONFIG and --NODE_CONFIG, typed as JSON
    expect(get('EnvOverride.parm3')).toBe('overridden from $NODE_CONFIG');
    expect(get('EnvOverride.parm4')).toBe(100);
    expect(get('EnvOverride.parm5')).toBe('overridden from --NODE_CONFIG');
    expect(get('EnvOverride.parm6')).toBe(101);
    expect(get('EnvOverride.parm2')).toBe(22);
    // custom-environment-variables.json
    expect(get('customEnvironmentVariables.mappedBy.json')).toBe('CUSTOM VALUE FROM JSON ENV MAPPING');
  });

  it('explain() names the file and line of each value', async () => {
    const { explain } = await livecfgTree(CONFIG_DIR);
    expect(explain('Customers.dbPassword')?.origin).toEqual({
      file: join(CONFIG_DIR, 'local.yml'),
      line: 2,
      column: 3,
    });
    expect(explain('AnotherModule.parm5')?.origin).toMatchObject({
      file: join(CONFIG_DIR, 'default.properties'),
      line: 2,
    });
    expect(explain('Customers.dbPort')?.overridden[0]).toMatchObject({
      value: 'this_is_overridden',
      origin: { file: join(CONFIG_DIR, 'default.js') },
    });
    expect(explain('EnvOverride.parm4')?.origin).toMatchObject({ env: 'NODE_CONFIG' });
    expect(explain('EnvOverride.parm6')?.origin).toMatchObject({ flag: '--NODE_CONFIG' });
    expect(explain('customEnvironmentVariables.mappedBy.json')?.origin).toMatchObject({
      env: 'CUSTOM_JSON_ENVIRONMENT_VAR',
      file: join(CONFIG_DIR, 'custom-environment-variables.json'),
      line: 4,
    });
  });

  it('gives the same tree as the real node-config over the formats it reads here', async () => {
    // node-config needs `toml`, `properties` and `x2js` for those files: not installed (see README).
    const dir = await tempDir();
    cpSync(FIXTURES, dir.path('.'), { recursive: true });
    const copied = dir.path('config');
    for (const name of readdirSync(copied)) {
      if (/\.(toml|properties|xml)$/.test(name)) rmSync(join(copied, name));
    }
    const real = await realNodeConfig({ ...ENV, NODE_CONFIG_DIR: copied }, ARGV);
    const { value } = await livecfgTree(copied);
    expect(real.AnotherModule).toMatchObject({ parm1: 'value1', parm2: 'value2', parm6: 'value6' });
    expect(value).toEqual(real);
  });
});
