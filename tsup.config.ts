import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

/** Entry points that exist (the CLI and the etcd subpath are optional while they are being built). */
const entries = Object.fromEntries(
  Object.entries({
    index: 'src/index.ts',
    etcd: 'src/etcd.ts',
    nest: 'src/nest/index.ts',
    fastify: 'src/fastify/index.ts',
    cli: 'src/cli.ts',
  }).filter(([, path]) => existsSync(path)),
);
const typedEntries = Object.fromEntries(Object.entries(entries).filter(([name]) => name !== 'cli'));

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: { entry: typedEntries },
  target: 'node20',
  clean: true,
  sourcemap: true,
  splitting: true,
  external: ['etcd3', '@nestjs/common', '@nestjs/core', 'fastify', 'fastify-plugin', 'reflect-metadata'],
});
