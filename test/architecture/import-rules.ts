/**
 * The import rules of DESIGN.md ("Layout") as a small data table, and a checker that reads every
 * import of a set of files: static `import`/`export … from`, `import type`, and dynamic `import('…')`
 * with a literal specifier (TypeScript's own pre-processor finds them, comments and strings aside).
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';
import ts from 'typescript';

/** What an import points at: a file of the repository (`src/reader/merge.ts`), a Node built-in, or a package. */
export type Target =
  | { kind: 'file'; path: string }
  | { kind: 'builtin'; name: string }
  | { kind: 'package'; name: string };

/** One import found in a file. */
export interface Import {
  file: string;
  specifier: string;
  target: Target;
  line: number;
}

/** A rule: files it applies to, and what they may not import. */
export interface ImportRule {
  name: string;
  /** Whether the rule applies to imports made by `file` (a path like `src/reader/merge.ts`). */
  appliesTo(file: string): boolean;
  /** Whether the import breaks the rule. */
  forbids(target: Target, file: string): boolean;
  why: string;
}

/** A broken rule: the file, the import as written, where, and which rule. */
export interface Violation {
  rule: string;
  file: string;
  specifier: string;
  line: number;
}

const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);
const file = (target: Target): string | undefined => (target.kind === 'file' ? target.path : undefined);
const isFileIn =
  (...places: string[]) =>
  (target: Target): boolean => {
    const path = file(target);
    return path !== undefined && places.some((place) => path === place || path.startsWith(`${place}/`));
  };

/** Node built-ins that do I/O or start threads/processes: not in the pure core. */
const IO_BUILTINS = new Set([
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'tls',
  'dgram',
  'dns',
  'dns/promises',
  'child_process',
  'cluster',
  'worker_threads',
  'readline',
  'readline/promises',
  'inspector',
  'os',
  'process',
]);

const isRxjs = (target: Target): boolean =>
  (target.kind === 'package' && (target.name === 'rxjs' || target.name.startsWith('rxjs/'))) ||
  file(target) === 'src/rx.ts';

/** The rules of DESIGN.md, "Layout". */
export const RULES: readonly ImportRule[] = [
  {
    name: 'reader-is-pure',
    appliesTo: under('src/reader'),
    forbids: (target) => target.kind === 'builtin' && IO_BUILTINS.has(target.name),
    why: 'src/reader/ is pure: no I/O modules',
  },
  {
    name: 'reader-no-rxjs',
    appliesTo: under('src/reader'),
    forbids: isRxjs,
    why: 'src/reader/ is pure: no rxjs, no src/rx.ts',
  },
  {
    name: 'reader-imports-no-layer-above',
    appliesTo: under('src/reader'),
    forbids: isFileIn(
      'src/sources',
      'src/source-kit',
      'src/loader',
      'src/watcher',
      'src/inspector',
      'src/cli',
      'src/config.ts',
      'src/cli.ts',
      'src/index.ts',
    ),
    why: 'src/reader/ imports nothing from sources/, loader/, watcher/, inspector/, config.ts, cli/',
  },
  {
    name: 'source-imports-only-reader-kit-rx',
    appliesTo: under('src/sources'),
    forbids: (target) =>
      target.kind === 'file' && !isFileIn('src/reader', 'src/source-kit', 'src/rx.ts', 'src/sources')(target),
    why: 'a source imports only reader/, source-kit/, src/rx.ts, its own files, built-ins and packages',
  },
  {
    name: 'inspector-uses-public-api',
    appliesTo: under('src/inspector'),
    forbids: (target) => target.kind === 'file' && !isFileIn('src/index.ts', 'src/inspector')(target),
    why: 'src/inspector/ uses only the public API (src/index.ts) and its own files',
  },
  {
    name: 'nothing-imports-the-cli',
    appliesTo: (path) => !under('src/cli')(path) && path !== 'src/cli.ts',
    forbids: isFileIn('src/cli'),
    why: 'nothing outside src/cli/ and src/cli.ts imports src/cli/',
  },
];

/** An accepted, known violation (`rule`, `file`, `specifier`), with the reason it is still there. */
export interface Allowed {
  rule: string;
  file: string;
  specifier: string;
  reason: string;
}

/**
 * Violations main has today, accepted until the change that removes them lands. Each entry names the
 * rule, the importing file and the import as written; the test below fails when an entry no longer
 * matches an import (imports.test.ts), so stale entries get deleted. (Empty: main at fb97e8f keeps every rule; the
 * loader redesign's entries, if any, are added here with the comment "removed by the loader redesign".)
 */
export const ALLOWED: readonly Allowed[] = [];

/** Resolves a specifier written in `from` (a repository path) against the set of existing files. */
export function resolveTarget(specifier: string, from: string, exists: (path: string) => boolean): Target {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
    const candidates = [
      joined.replace(/\.(m|c)?js$/, '.$1ts'),
      joined,
      `${joined}.ts`,
      posix.join(joined, 'index.ts'),
    ];
    return { kind: 'file', path: candidates.find(exists) ?? joined };
  }
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || builtinModules.includes(bare)) return { kind: 'builtin', name: bare };
  return { kind: 'package', name: specifier };
}

/** The imports of one file's text (repository path `path`). */
export function importsOf(path: string, text: string, exists: (path: string) => boolean): Import[] {
  const info = ts.preProcessFile(text, true, true);
  const lineOf = (position: number): number => text.slice(0, position).split('\n').length;
  return info.importedFiles.map((reference) => ({
    file: path,
    specifier: reference.fileName,
    target: resolveTarget(reference.fileName, path, exists),
    line: lineOf(reference.pos),
  }));
}

/** Every violation of `rules` in `files` (repository path → text), minus the `allowed` ones. */
export function checkImports(
  files: ReadonlyMap<string, string>,
  rules: readonly ImportRule[] = RULES,
  allowed: readonly Allowed[] = [],
): Violation[] {
  const exists = (path: string): boolean => files.has(path);
  const violations: Violation[] = [];
  for (const [path, text] of files) {
    for (const found of importsOf(path, text, exists)) {
      for (const rule of rules) {
        if (!rule.appliesTo(path) || !rule.forbids(found.target, path)) continue;
        const accepted = allowed.some(
          (entry) => entry.rule === rule.name && entry.file === path && entry.specifier === found.specifier,
        );
        if (!accepted)
          violations.push({ rule: rule.name, file: path, specifier: found.specifier, line: found.line });
      }
    }
  }
  return violations;
}

/** One line per violation: `src/reader/x.ts:3 imports '../sources/y.js' (reader-imports-no-layer-above: …)`. */
export function describeViolations(
  violations: readonly Violation[],
  rules: readonly ImportRule[] = RULES,
): string {
  return violations
    .map((violation) => {
      const why = rules.find((rule) => rule.name === violation.rule)?.why ?? '';
      return `${violation.file}:${violation.line} imports '${violation.specifier}' (${violation.rule}: ${why})`;
    })
    .join('\n');
}
