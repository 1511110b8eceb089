/**
 * Config modules as users load them: the package built fresh, plain `node` (no vitest or tsx loader in
 * between), from an ES module and from a CommonJS script (the CommonJS build). nodeConfig() reads
 * default.cjs, default.mjs and default.ts (through tsx's API), re-imports each when it changes, and
 * reports a module with a syntax error by file and line while the last good config stays; file('x.js')
 * reads a module instead of failing as JSON.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure, type FreshBuild, freshBuild, run } from '../../package/build.js';

let build: FreshBuild;
beforeAll(async () => {
  build = await freshBuild();
}, 240_000);
afterAll(() => build?.remove());

/** The scenario, run by the child: prints one JSON line. Every wait has a 10 s deadline. */
const SCENARIO = `
const dir = process.argv[2];
const write = (name, text) => require('node:fs').writeFileSync(dir + '/' + name, text);
const config = await loadConfig({ sources: nodeConfig({ dir, environ: { HOST: 'box' }, argv: [] }) });
const until = (what, predicate) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('no change: ' + what)), 10000);
  const subscription = config[what === 'error' ? 'errors$' : 'changes$'].subscribe((event) => {
    if (!predicate(event)) return;
    clearTimeout(timer);
    subscription.unsubscribe();
    resolve(event);
  });
});
const out = { first: config.value, origin: config.explain('ts').origin };
let change = until('cjs', (c) => c.current.cjs === 2);
write('default.cjs', 'module.exports = { cjs: 2, list: [1] };\\n');
await change;
change = until('mjs', (c) => c.current.mjs === 2);
write('default.mjs', 'export default { mjs: 2 };\\n');
await change;
change = until('ts', (c) => c.current.ts === 2);
write('default.ts', 'const ts: number = 2;\\nexport default { ts };\\n');
await change;
const failed = until('error', (e) => e.file && e.file.endsWith('local.cjs'));
write('local.cjs', 'module.exports = {\\n  cjs: 3,\\n  bad: ,\\n};\\n');
const error = await failed;
out.error = { code: error.code, line: error.line, message: error.message };
out.last = config.value;
await config.close();
const plain = await loadConfig({ sources: [file(dir + '/plain.js')], watch: false });
out.plain = plain.value;
await plain.close();
// A second config over the same modules in one process: nothing of the first one's (frozen) data is shared.
const again = await loadConfig({ sources: [file(dir + '/default.cjs'), file(dir + '/default.mjs')], watch: false });
const twice = await loadConfig({ sources: [file(dir + '/default.cjs'), file(dir + '/default.mjs')], watch: false });
out.again = [again.value, twice.value];
await again.close();
await twice.close();
process.stdout.write(JSON.stringify(out));
`;

const ESM = `import { loadConfig, file } from 'livecfg';\nimport { nodeConfig } from 'livecfg/node-config';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${SCENARIO}`;
const CJS = `const { loadConfig, file } = require('livecfg');\nconst { nodeConfig } = require('livecfg/node-config');\n(async () => {\n${SCENARIO}\n})().catch((error) => { console.error(error); process.exit(1); });`;

async function scenario(script: string, name: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'livecfg-modules-'));
  try {
    writeFileSync(join(dir, 'default.cjs'), 'module.exports = { cjs: 1 };\n');
    writeFileSync(join(dir, 'default.mjs'), 'export default { mjs: 1 };\n');
    writeFileSync(join(dir, 'default.ts'), 'const ts: number = 1;\nexport default { ts };\n');
    writeFileSync(join(dir, 'plain.js'), 'module.exports = { plain: { js: true } };\n');
    const path = join(build.dir, name);
    writeFileSync(path, script);
    const result = await run(process.execPath, [path, dir], { cwd: build.dir, timeoutMs: 60_000 });
    if (result.code !== 0 || result.error) throw new Error(describeFailure(`node ${name}`, result));
    return { ...(JSON.parse(result.stdout) as Record<string, unknown>), dir };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('config modules under plain node, from the built package', () => {
  for (const [what, script, name] of [
    ['an ES module consumer', ESM, 'modules.mjs'],
    ['a CommonJS consumer', CJS, 'modules.cjs'],
  ] as const) {
    it(`loads, re-imports and reports modules (${what})`, async () => {
      const out = await scenario(script, name);
      const dir = out.dir as string;
      expect(out.first).toEqual({ cjs: 1, mjs: 1, ts: 1 });
      expect(out.origin).toEqual({ file: join(dir, 'default.ts') });
      expect(out.error).toMatchObject({ code: 'PARSE', line: 3 });
      expect((out.error as { message: string }).message).toContain(
        `${join(dir, 'local.cjs')}:3: cannot load the config module: SyntaxError`,
      );
      expect(out.last).toEqual({ cjs: 2, list: [1], mjs: 2, ts: 2 });
      expect(out.plain).toEqual({ plain: { js: true } });
      expect(out.again).toEqual([
        { cjs: 2, mjs: 2, list: [1] },
        { cjs: 2, mjs: 2, list: [1] },
      ]);
    }, 120_000);
  }
});
