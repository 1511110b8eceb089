/**
 * file() on a config module (`.js`, `.cjs`, `.mjs`, `.ts`): imported, not parsed as JSON (it failed
 * with a confusing `PARSE … invalid literal`), with errors that name the file. Under plain node
 * from the built package: test/sources/node-config/modules-built.test.ts.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { file, loadConfig } from '../../../src/index.js';
import { rejectionOf, useTempDirs } from '../../helpers/temp-dir.js';

const tempDir = useTempDirs();

async function load(path: string) {
  const config = await loadConfig({ sources: [file(path)], watch: false });
  const value = config.value;
  await config.close();
  return value;
}

describe('file() on config modules', () => {
  it('imports default.js (module.exports) and default.mjs (export default)', async () => {
    const dir = await tempDir();
    await dir.write('package.json', '{ "type": "commonjs" }');
    const js = await dir.write('default.js', "module.exports = { server: { port: 8080 }, name: 'svc' };\n");
    const mjs = await dir.write(
      'default.mjs',
      'export default { server: { port: 9090 } };\nexport const ignored = 1;\n',
    );
    expect(await load(js)).toEqual({ server: { port: 8080 }, name: 'svc' });
    expect(await load(mjs)).toEqual({ server: { port: 9090 } });
  });

  it('takes named exports when there is no default export', async () => {
    const dir = await tempDir();
    const mjs = await dir.write(
      'named.mjs',
      'export const server = { port: 1 };\nexport const debug = true;\n',
    );
    expect(await load(mjs)).toEqual({ server: { port: 1 }, debug: true });
  });

  it('reads a getter once, at the import', async () => {
    const dir = await tempDir();
    const js = await dir.write(
      'default.cjs',
      "module.exports = { db: { name: 'app', get url() { return 'db://' + this.name; } }, list: [{ a: 1 }] };\n",
    );
    const config = await loadConfig({ sources: [file(js)], watch: false });
    expect(config.value).toEqual({ db: { name: 'app', url: 'db://app' }, list: [{ a: 1 }] });
    expect(Object.isFrozen(config.value.db)).toBe(true);
    await config.close();
    // A second config over the same module (the application's require cache included) loads as well.
    expect(await load(js)).toEqual({ db: { name: 'app', url: 'db://app' }, list: [{ a: 1 }] });
  });

  it('never freezes objects the application shares with a config module', async () => {
    const dir = await tempDir();
    const shared = await dir.write('shared.cjs', "module.exports = { db: { name: 'app' } };\n");
    const js = await dir.write('default.cjs', "module.exports = require('./shared.cjs');\n");
    const exported = createRequire(import.meta.url)(shared) as { db: object };
    expect(await load(js)).toEqual({ db: { name: 'app' } });
    expect(Object.isFrozen(exported) || Object.isFrozen(exported.db)).toBe(false);
  });

  it('rejects what is not plain data, naming the file and the path', async () => {
    const dir = await tempDir();
    const js = await dir.write('default.cjs', 'module.exports = { pattern: /x/g };\n');
    const error = await rejectionOf(load(js));
    expect(error).toMatchObject({ code: 'PARSE' });
    expect(error.message).toContain(js);
    expect(error.message).toContain('pattern');
  });

  it("answers a module exporting a function with node-config's defer() a clear error", async () => {
    const dir = await tempDir();
    const js = await dir.write('default.cjs', 'module.exports = ({ defer }) => ({ a: defer(() => 1) });\n');
    const error = await rejectionOf(load(js));
    expect(error.message).toContain(`${js}: defer() is node-config's and not supported by livecfg`);
  });
});
