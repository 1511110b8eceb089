import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', etcd: 'src/etcd.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', etcd: 'src/etcd.ts' } },
  target: 'node20',
  clean: true,
  sourcemap: true,
  splitting: true,
  external: ['etcd3'],
});
