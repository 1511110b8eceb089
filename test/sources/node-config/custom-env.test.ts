/**
 * custom-environment-variables with `__name`/`__format` (json, yaml, number, boolean), against the
 * real node-config; explain() names the variable and the mapping's line; a value that does not parse
 * is a PARSE error naming the variable and the mapping, never the value.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/index.js';
import { nodeConfig } from '../../../src/node-config.js';
import { rejectionOf, useTempDirs } from '../../helpers/temp-dir.js';
import { realNodeConfig } from './real-node-config.js';

const tempDir = useTempDirs();

const MAPPING = `# every format node-config reads variables with
db:
  host: DB_HOST
  port:
    __name: DB_PORT
    __format: number
  replicas:
    __name: DB_REPLICAS
    __format: json
  tls:
    __name: DB_TLS
    __format: boolean
  pool:
    __name: DB_POOL
    __format: yaml
  unset: NOT_SET
  empty: EMPTY_VAR
  badNumber:
    __name: NOT_A_NUMBER
    __format: number
`;

const ENV = {
  HOST: 'box',
  DB_HOST: 'db.internal',
  DB_PORT: '5432',
  DB_REPLICAS: '["r1", "r2"]',
  DB_TLS: 'true',
  DB_POOL: 'min: 2\nmax: 10\n',
  EMPTY_VAR: '',
  NOT_A_NUMBER: 'abc',
};

async function configDir(mapping = MAPPING) {
  const root = await tempDir();
  const dir = root.path('config');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'default.json'),
    '{ "db": { "host": "localhost", "empty": "kept", "badNumber": 1 } }',
  );
  writeFileSync(join(dir, 'custom-environment-variables.yaml'), mapping);
  return dir;
}

describe('custom-environment-variables', () => {
  it('reads each variable with its __format as the real node-config does', async () => {
    const dir = await configDir();
    const config = await loadConfig({
      sources: nodeConfig({ environ: { ...ENV, NODE_CONFIG_DIR: dir }, argv: [] }),
      watch: false,
    });
    const value = config.value;
    const explained = config.explain('db.port');
    await config.close();
    expect(value).toEqual({
      db: {
        host: 'db.internal',
        port: 5432,
        replicas: ['r1', 'r2'],
        tls: true,
        pool: { min: 2, max: 10 },
        empty: 'kept',
        badNumber: 1,
      },
    });
    expect(explained?.origin).toEqual({
      env: 'DB_PORT',
      file: join(dir, 'custom-environment-variables.yaml'),
      line: 4,
      column: 3,
    });
    // node-config sets a `number` that does not parse to undefined: absent in its JSON as well.
    const { badNumber: _skip, ...real } = (await realNodeConfig({ ...ENV, NODE_CONFIG_DIR: dir }))
      .db as Record<string, unknown>;
    const { badNumber: _kept, ...ours } = value.db as Record<string, unknown>;
    expect(ours).toEqual(real);
  });

  it('a variable that does not parse is a PARSE error naming it and the mapping line, not its value', async () => {
    const dir = await configDir('settings:\n  __name: SETTINGS\n  __format: json\n');
    const error = await rejectionOf(
      loadConfig({
        sources: nodeConfig({
          environ: { SETTINGS: '{"password": "hunter2"', NODE_CONFIG_DIR: dir },
          argv: [],
        }),
        watch: false,
      }),
    );
    expect(error).toMatchObject({ code: 'PARSE' });
    expect(error.message).toContain('custom-environment-variables.yaml:1:1: settings:');
    expect(error.message).toContain('environment variable SETTINGS is not valid json');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('hunter2');
  });

  it('names the mapping file and path of a leaf that is not a variable name', async () => {
    const dir = await configDir('db:\n  port: 5432\n');
    const error = await rejectionOf(
      loadConfig({ sources: nodeConfig({ environ: { NODE_CONFIG_DIR: dir }, argv: [] }), watch: false }),
    );
    expect(error.message).toContain(`${join(dir, 'custom-environment-variables.yaml')}: db.port:`);
  });
});
