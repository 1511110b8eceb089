import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
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
  'fleet',
  'node-config',
  'openfeature',
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

const common: Options = {
  target: 'node20',
  // No source maps in the tarball (they were 62% of it); the published code is readable as is.
  sourcemap: false,
  // Class and function names survive bundling: `ConfigError.name === 'ConfigError'`, `Config.name === 'Config'`.
  keepNames: true,
  splitting: true,
  // import.meta.url in the CommonJS build (the CLI's and the sources' own paths).
  shims: true,
  esbuildPlugins: [inlineParseWorker],
};

/** The root entry's source; the other entries reach it only through its public exports. */
const rootSource = resolve('src/index.ts');

/**
 * For the builds of the other entries: an import of the root's module (the inspector, the integrations
 * and the CLI use only the public API) becomes an import of the built root, `./index.js` or
 * `./index.cjs`, so that they share its one copy of `Config` and everything behind it.
 */
function rootExternal(file: string): NonNullable<Options['esbuildPlugins']>[number] {
  return {
    name: 'livecfg-root-external',
    setup(build) {
      build.onResolve({ filter: /index(\.js|\.ts)?$/ }, (args) => {
        if (!args.path.startsWith('.')) return undefined;
        const target = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        return target === rootSource ? { path: `./${file}`, external: true } : undefined;
      });
    },
  };
}

/**
 * Four builds share the output folder, emptied first here (tsup's own `clean` would race between them).
 * The root entry is built on its own, so that `import 'livecfg'` loads one file (plus chunks of what it
 * imports lazily) instead of a dozen chunks shared with the subpaths: each file of an ESM graph costs a
 * cold start ~1-3 ms (bench/README.md, cold start). The other entries (and the CLI, sharing chunks
 * with them) are built together and import the root by its built file. The declarations of every
 * entry come from one build per format, so that types shared by entries are declared once.
 * `--out-dir` on the command line applies to all (test/require.test.ts builds into a temp folder).
 */
export default defineConfig((overrides) => {
  rmSync(overrides.outDir ?? 'dist', { recursive: true, force: true });
  const { index, ...subpathEntries } = library;
  const root = { index: index as string };
  const rest = { ...subpathEntries };
  return [
    { ...common, entry: root, format: ['esm'], dts: { entry: library } },
    {
      ...common,
      entry: existsSync('src/cli.ts') ? { ...rest, cli: 'src/cli.ts' } : rest,
      format: ['esm'],
      dts: false,
      esbuildPlugins: [inlineParseWorker, rootExternal('index.js')],
    },
    { ...common, entry: root, format: ['cjs'], dts: { entry: library } },
    {
      ...common,
      entry: rest,
      format: ['cjs'],
      dts: false,
      esbuildPlugins: [inlineParseWorker, rootExternal('index.cjs')],
    },
  ];
});
