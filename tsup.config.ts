import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

/** Entry points that exist (the CLI and the etcd subpath are optional while they are being built). */
const entries = Object.fromEntries(
  Object.entries({
    index: 'src/index.ts',
    etcd: 'src/etcd.ts',
    'source-kit': 'src/source-kit/index.ts',
    vault: 'src/vault.ts',
    parsers: 'src/parsers.ts',
    cli: 'src/cli.ts',
    // The file source's parse worker, loaded by path next to the chunk that starts it.
    'file-parse-worker': 'src/sources/file-parse-worker.ts',
  }).filter(([, path]) => existsSync(path)),
);
const typedEntries = Object.fromEntries(
  Object.entries(entries).filter(([name]) => name !== 'cli' && name !== 'file-parse-worker'),
);

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: { entry: typedEntries },
  target: 'node20',
  clean: true,
  sourcemap: true,
  splitting: true,
  // import.meta.url in the CommonJS build (lazy format modules, the parse worker's path).
  shims: true,
  external: ['etcd3'],
});
