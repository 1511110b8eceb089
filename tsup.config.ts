import { existsSync, readFileSync, rmSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';
import { defineConfig, type Options } from 'tsup';

/**
 * The public entry points: the root and each subpath (`livecfg/etcd`, and `inspector`, `vault`, `parsers`,
 * `source-kit`, `nest`, `fastify` once they exist), from `src/<name>.ts` or else `src/<name>/index.ts`.
 * Each becomes `dist/<name>.{js,cjs,d.ts,d.cts}`; package.json's `exports` and its generic
 * `typesVersions` mapping (`livecfg/<name>` → `dist/<name>.d.cts`) follow that naming.
 */
const subpaths = [
  'index',
  'etcd',
  'inspector',
  'vault',
  'parsers',
  'source-kit',
  'nest',
  'fastify',
  'age',
  'redaction',
];
export const library: Record<string, string> = Object.fromEntries(
  subpaths.flatMap((name) => {
    const file = [`src/${name}.ts`, `src/${name}/index.ts`, `src/integrations/${name}/index.ts`].find(
      (path) => existsSync(path),
    );
    return file === undefined ? [] : [[name, file]];
  }),
);

/** The packages bundled into the parse worker's script, whose notices travel with it. */
const workerPackages = ['yaml', 'smol-toml'];

let workerScript: Promise<string> | undefined;
/** The file source's parse worker as one minified CommonJS script (its formats, yaml and smol-toml inside). */
function buildWorkerScript(): Promise<string> {
  const notices = workerPackages
    .map((name) => `${name}:\n${readFileSync(`node_modules/${name}/LICENSE`, 'utf8').trim()}`)
    .join('\n\n');
  workerScript ??= build({
    entryPoints: ['src/sources/file/parse-worker.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    write: false,
    legalComments: 'none',
    banner: { js: `/*! livecfg parse worker. Includes ${notices.replaceAll('*/', '* /')} */` },
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return workerScript;
}

/**
 * Puts the worker's script into `parse-worker-code.ts` (which is `undefined` in the sources), so
 * that the worker starts from a string (`new Worker(code, { eval: true })`) and needs no file of its
 * own: it then works inside users' single-file bundles as well.
 */
const inlineParseWorker: Plugin = {
  name: 'inline-parse-worker',
  setup(context) {
    context.onLoad({ filter: /[\\/]sources[\\/]file[\\/]parse-worker-code\.ts$/ }, async () => ({
      contents: `/** The parse worker's script (see src/sources/file/parse-worker-code.ts). */\nexport const workerCode = ${JSON.stringify(await buildWorkerScript())};\n`,
      loader: 'js',
    }));
  },
};

/** Optional peer dependencies (and their heavy clients) stay outside the bundle. */
const external = ['etcd3'];

const common: Options = {
  target: 'node20',
  // No source maps in the tarball (they were 62% of it); the published code is readable as is.
  sourcemap: false,
  // Class and function names survive bundling: `ConfigError.name === 'ConfigError'`, `Config.name === 'Config'`.
  keepNames: true,
  splitting: true,
  // import.meta.url in the CommonJS build (the CLI's and the sources' own paths).
  shims: true,
  external,
  esbuildPlugins: [inlineParseWorker],
};

/**
 * Two builds share the output folder, emptied first here (tsup's own `clean` would race between them): ESM for the library and the CLI (`dist/cli.js`,
 * sharing chunks with the library), and CommonJS for the library only (no `cli.cjs`: nothing runs it).
 * `--out-dir` on the command line applies to both (test/require.test.ts builds into a temp folder).
 */
export default defineConfig((overrides) => {
  rmSync(overrides.outDir ?? 'dist', { recursive: true, force: true });
  return [
    {
      ...common,
      entry: existsSync('src/cli.ts') ? { ...library, cli: 'src/cli.ts' } : library,
      format: ['esm'],
      dts: { entry: library },
    },
    {
      ...common,
      entry: library,
      format: ['cjs'],
      dts: { entry: library },
    },
  ];
});
