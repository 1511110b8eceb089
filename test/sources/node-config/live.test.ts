/**
 * nodeConfig() while the service runs: every file in node-config's order is optional and watched
 * (a new local.yaml applies), and a bad file is reported with its file and line while the last good config stays.
 * Config modules under plain Node (not vitest's loader): modules-built.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../../src/index.js';
import { nodeConfig } from '../../../src/node-config.js';
import { useTempDirs } from '../../helpers/temp-dir.js';
import { nextChange, nextError } from '../../helpers/watch.js';

const tempDir = useTempDirs();
const open: Config<Record<string, unknown>>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((config) => config.close()));
});

async function start(dir: string, environ: Record<string, string> = {}) {
  const config = await loadConfig({
    sources: nodeConfig({ dir, environ: { HOST: 'box', ...environ }, argv: [] }),
  });
  open.push(config);
  return config;
}

describe('nodeConfig() live', () => {
  it('adds a file of the order created while the service runs (local.yaml over production.json)', async () => {
    const dir = await tempDir();
    await dir.write('default.yaml', 'server:\n  port: 8080\n  host: a\n');
    await dir.write('production.json', '{ "server": { "port": 9090 } }');
    const config = await start(dir.path('.'), { NODE_ENV: 'production' });
    expect(config.value).toEqual({ server: { port: 9090, host: 'a' } });

    const changed = nextChange(
      config,
      (change) => (change.current as { server: { port: number } }).server.port === 7070,
    );
    await dir.write('local.yaml', 'server:\n  port: 7070\n');
    const change = await changed;
    expect(change.changed).toEqual(['server.port']);
    expect(config.explain('server.port')?.origin).toEqual({
      file: dir.path('local.yaml'),
      line: 2,
      column: 3,
    });
    expect(config.explain('server.port')?.overridden.map((layer) => layer.value)).toEqual([9090, 8080]);
  });

  it('reports a bad file with its file and line and keeps the last good config', async () => {
    const dir = await tempDir();
    await dir.write('default.yaml', 'a: 1\n');
    await dir.write('local.json', '{ "b": 1 }');
    const config = await start(dir.path('.'));
    const failed = nextError(config, (error) => error.file === dir.path('local.json'));
    writeFileSync(dir.path('local.json'), '{\n  "b": 2,\n  "c": \n}\n');
    const error = await failed;
    expect(error.code).toBe('PARSE');
    expect(error.line).toBe(4);
    expect(error.message).toContain(`${dir.path('local.json')}:4:`);
    expect(config.value).toEqual({ a: 1, b: 1 });
  });
});
