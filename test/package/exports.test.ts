import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { library } from '../../tsup.config.js';
import { root } from './build.js';

interface PackageJson {
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
  main: string;
  module: string;
  types: string;
  bin: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

/** What `exports` must say for an entry point built as `dist/<name>.*`. */
const conditions = (name: string) => ({
  import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
  require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
});

describe('package.json entry points', () => {
  it('has an exports entry, with types first, for every entry point tsup builds, and no other', () => {
    const built = Object.keys(library).map((name) => (name === 'index' ? '.' : `./${name}`));
    const exported = Object.keys(pkg.exports).filter((key) => key !== './package.json');
    expect(exported.sort()).toEqual(built.sort());
    for (const name of Object.keys(library)) {
      const key = name === 'index' ? '.' : `./${name}`;
      expect(pkg.exports[key], key).toEqual(conditions(name));
    }
  });

  it('maps every subpath to its CJS declarations for TypeScript node10 with one generic rule', () => {
    expect(pkg.typesVersions).toEqual({
      '*': { 'dist/*': ['./dist/*'], 'package.json': ['./package.json'], '*': ['./dist/*.d.cts'] },
    });
    expect([pkg.main, pkg.module, pkg.types]).toEqual([
      './dist/index.cjs',
      './dist/index.js',
      './dist/index.d.cts',
    ]);
    expect(pkg.bin).toEqual({ livecfg: './dist/cli.js' });
  });
});

describe('what each entry point exports', () => {
  it('the root holds the API every user needs; the redaction toolkit and the age helpers have their own subpaths', async () => {
    const rootExports = Object.keys(await import('../../src/index.js'));
    for (const name of [
      'createRedactor',
      'isSecretKey',
      'mask',
      'maskUrlPassword',
      'REDACTED',
      'ageDecrypt',
      'ageEncrypt',
    ]) {
      expect(rootExports, `livecfg does not export ${name}`).not.toContain(name);
    }
    expect(rootExports).toEqual(
      expect.arrayContaining(['loadConfig', 'file', 'env', 'flags', 'memory', 'ConfigError']),
    );
    expect(Object.keys(await import('../../src/age.js'))).toEqual(
      expect.arrayContaining(['ageDecrypt', 'ageEncrypt']),
    );
    expect(Object.keys(await import('../../src/redaction.js'))).toEqual(
      expect.arrayContaining(['createRedactor', 'isSecretKey', 'mask', 'maskUrlPassword', 'REDACTED']),
    );
  });
});
