import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { describeFailure, root, run } from './build.js';
import { consumerProject } from './consumer.js';

/**
 * livecfg inside single-file bundles, as README's "Bundling" section promises: an app that reads
 * YAML, TOML, `.env`, a file of more than 1 MiB (parsed by the worker) and an age-encrypted value is
 * bundled by esbuild (ESM and CJS, platform node, only the optional peers it does not use external)
 * and by Vite SSR with `noExternal: true`; each bundle is copied alone into an empty folder (no
 * node_modules) and run there.
 */

/** The optional peers the app does not use: the only packages left outside the bundles. */
const UNUSED_PEERS = ['etcd3', 'json5', 'fast-xml-parser', '@nestjs/common', '@nestjs/core', 'fastify'];

const APP = `import { file, loadConfig } from 'livecfg';
import { ageDecrypt } from 'livecfg/age';

async function main() {
  const dir = process.argv[2];
  const config = await loadConfig({
    sources: [
      file(dir + '/app.yaml'),
      file(dir + '/app.toml'),
      file(dir + '/.env'),
      file(dir + '/big.json'),
    ],
    resolvers: [ageDecrypt({ identityFile: dir + '/key.txt' })],
    watch: false,
  });
  console.log(JSON.stringify({
    yaml: config.get('fromYaml'),
    toml: config.get('fromToml'),
    env: config.get('FROM_ENV'),
    big: config.get('big.k29999'),
    secret: config.get('secret'),
  }));
  await config.close();
}
main().catch((error) => { console.error(error); process.exit(1); });
`;

const EXPECTED = {
  yaml: 'yes',
  toml: 42,
  env: 'from-dotenv',
  big: 'value 29999 of the big file',
  secret: 's3cret',
};

let project: string | undefined;
let data: string;
let work: string;

beforeAll(async () => {
  const consumer = await consumerProject('bundles', 'module', [`age-encryption@0.3.1`]);
  project = consumer.dir;
  writeFileSync(join(project, 'app.mjs'), APP);
  work = mkdtempSync(join(tmpdir(), 'livecfg-bundles-'));
  data = join(work, 'data');
  mkdirSync(data);
  execFileSync('age-keygen', ['-o', join(data, 'key.txt')], { stdio: 'ignore' });
  const recipient = execFileSync('age-keygen', ['-y', join(data, 'key.txt')], { encoding: 'utf8' }).trim();
  const cipher = execFileSync('age', ['-r', recipient], { input: 's3cret' }).toString('base64');
  writeFileSync(join(data, 'app.yaml'), `fromYaml: "yes"\nsecret: ENC[age,${cipher}]\n`);
  writeFileSync(join(data, 'app.toml'), 'fromToml = 42\n');
  writeFileSync(join(data, '.env'), 'FROM_ENV=from-dotenv\n');
  // JSON: the worker's inline script parses every built-in format, and JSON keeps the test quick.
  const keys = Object.fromEntries(
    Array.from({ length: 40_000 }, (_, i) => [`k${i}`, `value ${i} of the big file`]),
  );
  const big = JSON.stringify({ big: keys }, null, 1);
  expect(Buffer.byteLength(big)).toBeGreaterThanOrEqual(2 ** 20);
  writeFileSync(join(data, 'big.json'), big);
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Copies the one bundle file into an empty folder and runs it there with the data folder. */
async function runAlone(bundle: string, name: string): Promise<unknown> {
  const alone = join(work, `run-${name}`);
  mkdirSync(alone);
  const target = join(alone, name);
  copyFileSync(bundle, target);
  const result = await run(process.execPath, [target, data], { cwd: alone, timeoutMs: 60_000 });
  if (result.code !== 0 || result.error) throw new Error(describeFailure(`node ${name}`, result));
  expect(withoutNodeWarnings(result.stderr)).toBe('');
  return JSON.parse(result.stdout);
}

async function esbuild(format: 'esm' | 'cjs', outfile: string): Promise<void> {
  const result = await run(
    join(root, 'node_modules', '.bin', 'esbuild'),
    [
      'app.mjs',
      '--bundle',
      '--platform=node',
      `--format=${format}`,
      `--outfile=${outfile}`,
      '--log-level=error',
      // ESM output: a banner gives CommonJS dependencies the `require` they expect.
      ...(format === 'esm'
        ? [
            "--banner:js=import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);",
          ]
        : []),
      ...UNUSED_PEERS.map((name) => `--external:${name}`),
    ],
    { cwd: project!, timeoutMs: 120_000 },
  );
  if (result.code !== 0 || result.error)
    throw new Error(describeFailure(`esbuild --format=${format}`, result));
}

describe('single-file bundles (YAML, TOML, .env, a 1 MiB file, an age value)', () => {
  it('esbuild ESM', async (_context) => {
    await esbuild('esm', join(work, 'app.esm.mjs'));
    expect(await runAlone(join(work, 'app.esm.mjs'), 'app.mjs')).toEqual(EXPECTED);
  }, 180_000);

  it('esbuild CJS (age-encryption bundled, not external)', async (_context) => {
    await esbuild('cjs', join(work, 'app.cjs'));
    expect(await runAlone(join(work, 'app.cjs'), 'app.cjs')).toEqual(EXPECTED);
  }, 180_000);

  it('Vite SSR with noExternal: true', async (_context) => {
    const out = join(work, 'vite-out');
    writeFileSync(
      join(project!, 'vite.config.mjs'),
      `export default {
  logLevel: 'error',
  ssr: { noExternal: true, external: ${JSON.stringify(UNUSED_PEERS)} },
  build: {
    ssr: 'app.mjs',
    outDir: ${JSON.stringify(out)},
    emptyOutDir: true,
    rollupOptions: { output: { codeSplitting: false } },
  },
};
`,
    );
    const result = await run(
      process.execPath,
      [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
      {
        cwd: project!,
        timeoutMs: 180_000,
      },
    );
    if (result.code !== 0 || result.error) throw new Error(describeFailure('vite build --ssr', result));
    const files = readdirSync(out);
    expect(files).toEqual(['app.js']);
    expect(await runAlone(join(out, 'app.js'), 'vite-app.mjs')).toEqual(EXPECTED);
  }, 240_000);
});
