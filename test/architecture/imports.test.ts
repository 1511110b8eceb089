/**
 * The import rules of DESIGN.md ("Layout"), checked on every src/**\/*.ts file: the checker and its
 * rule table are in import-rules.ts. A forbidden import fails this test, naming the file, the line,
 * the import as written and the rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../examples/child.js';
import {
  ALLOWED,
  type Allowed,
  checkImports,
  describeViolations,
  importsOf,
  RULES,
  resolveTarget,
} from './import-rules.js';

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts'))
        files.set(relative(ROOT, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(join(ROOT, 'src'));
  return files;
}

describe('import rules (DESIGN.md, Layout)', () => {
  const files = sourceFiles();

  it('hold for every file under src/', () => {
    expect(files.size).toBeGreaterThan(50);
    const violations = checkImports(files, RULES, ALLOWED);
    expect(violations, `forbidden imports:\n${describeViolations(violations)}`).toEqual([]);
  });

  it('every allowed entry still matches an import (delete it once its violation is gone)', () => {
    const exists = (path: string): boolean => files.has(path);
    for (const entry of ALLOWED) {
      const text = files.get(entry.file);
      const found =
        text !== undefined &&
        importsOf(entry.file, text, exists).some((i) => i.specifier === entry.specifier);
      expect(found, `${entry.file} no longer imports '${entry.specifier}': delete its ALLOWED entry`).toBe(
        true,
      );
    }
  });

  it('sees the imports it must see in the real tree (the parser is not blind)', () => {
    const exists = (path: string): boolean => files.has(path);
    const cli = importsOf('src/cli/sources.ts', files.get('src/cli/sources.ts') ?? '', exists);
    // Static imports and the dynamic import of the Consul source, resolved to their .ts files.
    expect(cli.map((i) => i.target)).toEqual(
      expect.arrayContaining([
        { kind: 'file', path: 'src/sources/env.ts' },
        { kind: 'file', path: 'src/sources/consul.ts' },
      ]),
    );
  });
});

describe('the checker', () => {
  // A synthetic tree: every rule broken once (and some allowed imports beside each).
  const synthetic = new Map<string, string>([
    ['src/reader/merge.ts', 'export const merge = 1;\n'],
    ['src/reader/path.ts', 'export const p = 1;\n'],
    ['src/rx.ts', 'export {};\n'],
    ['src/index.ts', 'export {};\n'],
    ['src/config.ts', 'export {};\n'],
    ['src/cli/main.ts', "import { merge } from '../reader/merge.js';\n"],
    ['src/cli.ts', "import { runCli } from './cli/main.js';\n"],
    [
      'src/sources/file.ts',
      "import { readFile } from 'node:fs/promises';\nimport { merge } from '../reader/merge.js';\nimport { Observable } from '../rx.js';\n",
    ],
    ['src/loader/queue.ts', 'export {};\n'],
    ['src/watcher/diff.ts', 'export {};\n'],
    [
      'src/reader/bad.ts',
      [
        "import { readFileSync } from 'node:fs';", // 1: I/O in the pure core
        "import { Subject } from 'rxjs';", // 2
        "import { Observable } from '../rx.js';", // 3
        "import type { Source } from '../sources/file.js';", // 4: type-only counts too
        "export { diff } from '../watcher/diff.js';", // 5
        "const later = () => import('../loader/queue.js');", // 6: dynamic
        "// import { x } from '../config.js' (a comment is not an import)",
        'const text = "import(\'../cli/main.js\')";', // a string is not an import
        "import { p } from './path.js';", // 9: fine
        "import { createHash } from 'node:crypto';", // 10: fine (no I/O)
      ].join('\n'),
    ],
    [
      'src/sources/bad.ts',
      "import { queue } from '../loader/queue.js';\nimport { Config } from '../config.js';\n",
    ],
    [
      'src/inspector/handler.ts',
      "import type { Config } from '../config.js';\nimport { loadConfig } from '../index.js';\nimport { page } from './page.js';\nimport http from 'node:http';\n",
    ],
    ['src/inspector/page.ts', 'export const page = 1;\n'],
    ['src/loader/uses-cli.ts', "import { formatError } from '../cli/output.js';\n"],
  ]);

  it('fails on each forbidden import, naming the file, line, import and rule', () => {
    const violations = checkImports(synthetic);
    expect(violations.map((v) => `${v.file}:${v.line} ${v.specifier} ${v.rule}`).sort()).toEqual(
      [
        'src/reader/bad.ts:1 node:fs reader-is-pure',
        'src/reader/bad.ts:2 rxjs reader-no-rxjs',
        'src/reader/bad.ts:3 ../rx.js reader-no-rxjs',
        'src/reader/bad.ts:4 ../sources/file.js reader-imports-no-layer-above',
        'src/reader/bad.ts:5 ../watcher/diff.js reader-imports-no-layer-above',
        'src/reader/bad.ts:6 ../loader/queue.js reader-imports-no-layer-above',
        'src/sources/bad.ts:1 ../loader/queue.js source-imports-only-reader-kit-rx',
        'src/sources/bad.ts:2 ../config.js source-imports-only-reader-kit-rx',
        'src/inspector/handler.ts:1 ../config.js inspector-uses-public-api',
        'src/loader/uses-cli.ts:1 ../cli/output.js nothing-imports-the-cli',
      ].sort(),
    );
    expect(describeViolations(violations)).toContain(
      "src/reader/bad.ts:1 imports 'node:fs' (reader-is-pure: src/reader/ is pure: no I/O modules)",
    );
  });

  it('skips exactly the allowed entries', () => {
    const allowed: Allowed[] = [
      {
        rule: 'nothing-imports-the-cli',
        file: 'src/loader/uses-cli.ts',
        specifier: '../cli/output.js',
        reason: 'test',
      },
    ];
    const all = checkImports(synthetic);
    const rest = checkImports(synthetic, RULES, allowed);
    expect(rest).toHaveLength(all.length - 1);
    expect(rest.some((v) => v.file === 'src/loader/uses-cli.ts')).toBe(false);
  });

  it('resolves .js to .ts, folders to index.ts, node: and bare built-ins, packages', () => {
    const exists = (path: string): boolean =>
      ['src/reader/a.ts', 'src/reader/formats/index.ts'].includes(path);
    expect(resolveTarget('./a.js', 'src/reader/b.ts', exists)).toEqual({
      kind: 'file',
      path: 'src/reader/a.ts',
    });
    expect(resolveTarget('./formats', 'src/reader/b.ts', exists)).toEqual({
      kind: 'file',
      path: 'src/reader/formats/index.ts',
    });
    expect(resolveTarget('fs', 'src/reader/b.ts', exists)).toEqual({ kind: 'builtin', name: 'fs' });
    expect(resolveTarget('node:worker_threads', 'src/reader/b.ts', exists)).toEqual({
      kind: 'builtin',
      name: 'worker_threads',
    });
    expect(resolveTarget('rxjs/operators', 'src/reader/b.ts', exists)).toEqual({
      kind: 'package',
      name: 'rxjs/operators',
    });
  });
});
