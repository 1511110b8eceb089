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
  ruleOf,
  unitOf,
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
        (entry.specifier === 'process.env'
          ? text.includes('process.env')
          : importsOf(entry.file, text, exists).some((i) => i.specifier === entry.specifier));
      expect(found, `${entry.file} no longer imports '${entry.specifier}': delete its ALLOWED entry`).toBe(
        true,
      );
    }
  });

  it('sees the imports it must see in the real tree (the parser is not blind)', () => {
    const exists = (path: string): boolean => files.has(path);
    const cli = importsOf('src/cli/sources.ts', files.get('src/cli/sources.ts') ?? '', exists);
    // Static imports and the dynamic import of the public entry, resolved to their .ts files.
    expect(cli.map((i) => i.target)).toEqual(
      expect.arrayContaining([{ kind: 'file', path: 'src/index.ts' }]),
    );
  });
});

describe('the checker', () => {
  // A synthetic tree: every kind of violation once (and allowed imports beside each).
  const synthetic = new Map<string, string>([
    ['src/reader/merge.ts', 'export const merge = 1;\n'],
    ['src/reader/path.ts', 'export const p = 1;\n'],
    ['src/rx/index.ts', 'export {};\n'],
    ['src/index.ts', "export { loadConfig } from './config/config.js';\n"],
    ['src/config/config.ts', "import { queue } from '../loader/queue.js';\n"],
    ['src/cli/main.ts', "import { merge } from '../reader/merge.js';\n"],
    ['src/cli.ts', "import { runCli } from './cli/main.js';\n"],
    [
      'src/sources/file/file.ts',
      "import { readFile } from 'node:fs/promises';\nimport { merge } from '../../reader/merge.js';\nimport { Observable } from '../../rx/index.js';\n",
    ],
    ['src/loader/queue.ts', 'export {};\n'],
    ['src/publish/diff.ts', 'export {};\n'],
    [
      'src/reader/bad.ts',
      [
        "import { readFileSync } from 'node:fs';", // 1: I/O in the pure core
        "import { Subject } from 'rxjs';", // 2: a package the core does not list
        "import { Observable } from '../rx/index.js';", // 3
        "import type { Source } from '../sources/file/file.js';", // 4: type-only counts too
        "export { diff } from '../publish/diff.js';", // 5
        "const later = () => import('../loader/queue.js');", // 6: dynamic
        "// import { x } from '../config/config.js' (a comment is not an import)",
        'const text = "import(\'../cli/main.js\')";', // a string is not an import
        "import { p } from './path.js';", // 9: fine
        "import { createHash } from 'node:crypto';", // 10: fine (no I/O)
        "import { createRequire } from 'node:module';", // 11: module loading is I/O here
        'const home = process.env.HOME;', // 12: the environment is I/O here
      ].join('\n'),
    ],
    [
      'src/sources/bad/bad.ts',
      "import { queue } from '../../loader/queue.js';\nimport { Config } from '../../config/config.js';\n",
    ],
    [
      'src/inspector/handler.ts',
      "import type { Config } from '../config/config.js';\nimport { loadConfig } from '../index.js';\nimport { page } from './page.js';\nimport http from 'node:http';\n",
    ],
    ['src/inspector/page.ts', 'export const page = 1;\n'],
    ['src/loader/uses-cli.ts', "import { formatError } from '../cli/output.js';\n"],
    ['src/unruled/thing.ts', 'export {};\n'],
  ]);

  it('fails on each forbidden import and on a unit without a rule, naming file, line, import and rule', () => {
    const violations = checkImports(synthetic);
    expect(violations.map((v) => `${v.file}:${v.line} ${v.specifier} ${v.rule}`).sort()).toEqual(
      [
        'src/reader/bad.ts:1 node:fs pure-core',
        'src/reader/bad.ts:2 rxjs packages',
        'src/reader/bad.ts:3 ../rx/index.js allow-list',
        'src/reader/bad.ts:4 ../sources/file/file.js allow-list',
        'src/reader/bad.ts:5 ../publish/diff.js allow-list',
        'src/reader/bad.ts:6 ../loader/queue.js allow-list',
        'src/reader/bad.ts:11 node:module pure-core',
        'src/reader/bad.ts:12 process.env pure-core',
        'src/sources/bad/bad.ts:1 ../../loader/queue.js allow-list',
        'src/sources/bad/bad.ts:2 ../../config/config.js allow-list',
        'src/inspector/handler.ts:1 ../config/config.js allow-list',
        'src/loader/uses-cli.ts:1 ../cli/output.js allow-list',
        'src/unruled/thing.ts:1 unruled unruled',
      ].sort(),
    );
    expect(describeViolations(violations)).toContain(
      "src/reader/bad.ts:1 imports 'node:fs' (pure-core: reader may import no other unit)",
    );
    expect(describeViolations(violations)).toContain(
      "src/unruled/thing.ts:1 imports 'unruled' (unruled: unruled has no rule in test/architecture/import-rules.ts: add one)",
    );
  });

  it('skips exactly the allowed entries', () => {
    const allowed: Allowed[] = [
      { rule: 'allow-list', file: 'src/loader/uses-cli.ts', specifier: '../cli/output.js', reason: 'test' },
    ];
    const all = checkImports(synthetic);
    const rest = checkImports(synthetic, RULES, allowed);
    expect(rest).toHaveLength(all.length - 1);
    expect(rest.some((v) => v.file === 'src/loader/uses-cli.ts')).toBe(false);
  });

  it('gives every unit of the real tree a rule, and every rule a job', () => {
    for (const path of sourceFiles().keys()) expect(ruleOf(unitOf(path)), path).toBeDefined();
    for (const [unit, rule] of Object.entries(RULES)) expect(rule.job, unit).not.toBe('');
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
