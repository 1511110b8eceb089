import { existsSync, rmSync } from 'node:fs';
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

/** The file source's parse worker: loaded by path next to the chunk that starts it (no types). */
const worker = { 'file-parse-worker': 'src/sources/file/parse-worker.ts' };

const common: Options = {
  target: 'node20',
  // No source maps in the tarball (they were 62% of it); the published code is readable as is.
  sourcemap: false,
  // Class and function names survive bundling: `ConfigError.name === 'ConfigError'`, `Config.name === 'Config'`.
  keepNames: true,
  splitting: true,
  // import.meta.url in the CommonJS build (lazy format modules, the parse worker's path).
  shims: true,
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
      entry: existsSync('src/cli.ts')
        ? { ...library, ...worker, cli: 'src/cli.ts' }
        : { ...library, ...worker },
      format: ['esm'],
      dts: { entry: library },
    },
    {
      ...common,
      entry: { ...library, ...worker },
      format: ['cjs'],
      dts: { entry: library },
    },
  ];
});
