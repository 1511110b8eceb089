/**
 * The import rules of DESIGN.md ("Layout") as allow-lists: every unit under `src/` (a top folder, a
 * source's folder, an integration's folder, an entry file) names the units, built-ins and packages it
 * may import, and a unit without a rule fails. The checker reads every import of a set of files:
 * static `import`/`export … from`, `import type`, and dynamic `import('…')` with a literal specifier
 * (TypeScript's own pre-processor finds them, comments and strings aside).
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

/** A broken rule: the file, the import as written (or `process.env`), where, and which rule. */
export interface Violation {
  rule: string;
  file: string;
  specifier: string;
  line: number;
}

/**
 * The unit a file belongs to: `sources/<name>` and `integrations/<name>` per subfolder, else the top
 * folder under `src/` (`reader`, `loader`, …), and `entry:<name>` for the entry files at `src/` itself.
 */
export function unitOf(path: string): string {
  const nested = /^src\/(sources|integrations)\/([^/]+)\//.exec(path);
  if (nested) return `${nested[1]}/${nested[2]}`;
  const top = /^src\/([^/]+)\//.exec(path);
  if (top) return top[1] as string;
  return `entry:${path.replace(/^src\//, '').replace(/\.ts$/, '')}`;
}

/** What one unit may import: other units (its own files are always allowed), built-ins, packages. */
export interface FolderRule {
  /** The job of the unit, as its `index.ts` says it. */
  job: string;
  /** Units it may import (see {@link unitOf}); a `/*` suffix matches a family (`sources/*`). */
  units: readonly string[];
  /** `pure`: no I/O built-ins, no `node:module`, no `process.env` (the pure core). Default: any. */
  builtins?: 'pure' | 'any';
  /** Packages it may import (prefix match: `rxjs` allows `rxjs/internal/…`); omitted: any. */
  packages?: readonly string[];
}

/** Node built-ins that do I/O, start threads or processes, or load modules: not in the pure core. */
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
  'module',
]);

/** Every unit under `src/` and what it may import (DESIGN.md, "Layout"). A unit without a rule fails. */
export const RULES: Readonly<Record<string, FolderRule>> = {
  reader: {
    job: 'the pure core: paths, merge, values, formats, coercion, validation, provenance, redaction rules',
    units: [],
    builtins: 'pure',
    packages: ['yaml', 'smol-toml'],
  },
  rx: { job: 'the one place rxjs is imported from', units: [], packages: ['rxjs'] },
  'source-kit': { job: 'what a source author needs', units: ['reader', 'rx'] },
  'sources/*': { job: 'one source each', units: ['reader', 'source-kit', 'rx'] },
  // A preset of other sources: node-config's files are the root's file() sources (entry:index, so
  // that the built livecfg/node-config shares the root's one copy) with the parsers of its formats.
  'sources/node-config': {
    job: 'the sources node-config would read, in its order',
    units: ['entry:index', 'reader', 'source-kit', 'rx', 'parsers'],
  },
  // env({ files }) reads and watches its `.env` files with the file source's own reading and watching
  // (size limit, chokidar on the directory, atomic saves, retries), not a second copy of them.
  'sources/env': { job: 'the env() source', units: ['reader', 'source-kit', 'rx', 'sources/file'] },
  publish: { job: 'snapshot, diff, fan-out, history', units: ['reader', 'rx', 'source-kit'], packages: [] },
  loader: { job: 'the reload transaction', units: ['reader', 'source-kit', 'publish', 'rx'], packages: [] },
  config: {
    job: 'the Config facade, its public types, its redaction service',
    units: ['loader', 'publish', 'reader', 'rx', 'source-kit'],
    packages: [],
  },
  secrets: { job: 'age envelopes: the resolver and encryption', units: ['reader', 'source-kit'] },
  parsers: {
    job: 'optional document formats (json5, xml, properties)',
    units: ['reader', 'source-kit'],
  },
  inspector: {
    job: "the operator's page and HTTP API",
    // json-schema: the drawer's schema facts (description, default, type, constraints) come from the
    // one JSON Schema conversion that `livecfg schema` writes.
    units: ['entry:index', 'entry:redaction', 'entry:fleet', 'json-schema'],
    packages: [],
  },
  'integrations/shared': {
    job: 'what the framework integrations share',
    units: ['entry:index', 'inspector'],
  },
  'integrations/nest': { job: 'the NestJS module', units: ['entry:index', 'integrations/shared', 'rx'] },
  'integrations/fastify': { job: 'the Fastify plugin', units: ['entry:index', 'integrations/shared'] },
  'json-schema': {
    // A consumer of the public API; the converters load only when used: zod's own (the schema's
    // method, else the `zod` package) and valibot's optional peer.
    job: "the JSON Schema of a config schema (zod 4's and valibot's converters), secrets kept out",
    units: ['entry:index', 'entry:redaction'],
    packages: ['zod', '@valibot/to-json-schema'],
  },
  'integrations/openfeature': {
    job: 'the OpenFeature provider',
    units: ['entry:index'],
    packages: ['@openfeature/server-sdk'],
  },
  cli: {
    job: 'the livecfg command',
    units: [
      'json-schema',
      'entry:index',
      'entry:etcd',
      'entry:vault',
      'entry:age',
      'entry:redaction',
      'entry:fleet',
      'inspector',
      'reader',
      'rx',
      // source-kit/modules.ts: the one way of finding tsx and importing a TypeScript module (--schema).
      'source-kit',
    ],
  },
  fleet: {
    // A consumer of the public API (entry:index), and the one that writes to stores: it reuses the
    // store clients (sources/etcd's JSON gateway, sources/consul's KV client and address rules) and the
    // kit's HTTP client and backoff instead of a second client, and reader's types for options.
    job: 'the fleet: instance reports in etcd or Consul, the fleet view, validated CAS writes',
    units: ['entry:index', 'sources/etcd', 'sources/consul', 'source-kit', 'reader', 'rx'],
  },
  'entry:index': {
    job: 'the public root',
    units: ['config', 'reader', 'secrets', 'source-kit', 'sources/*'],
  },
  'entry:etcd': { job: 'livecfg/etcd', units: ['sources/etcd'] },
  'entry:fleet': { job: 'livecfg/fleet', units: ['fleet'] },
  'entry:node-config': { job: 'livecfg/node-config', units: ['sources/node-config'] },
  'entry:openfeature': { job: 'livecfg/openfeature', units: ['integrations/openfeature'] },
  'entry:vault': { job: 'livecfg/vault', units: ['sources/vault'] },
  'entry:age': { job: 'livecfg/age', units: ['secrets'] },
  'entry:redaction': { job: 'livecfg/redaction', units: ['reader'] },
  'entry:cli': { job: 'the bin', units: ['cli'] },
};

/** The rule of a unit (an exact entry, or a `family/*` one). */
export function ruleOf(
  unit: string,
  rules: Readonly<Record<string, FolderRule>> = RULES,
): FolderRule | undefined {
  return rules[unit] ?? rules[`${unit.split('/')[0]}/*`];
}

const matchesUnit = (allowed: string, unit: string): boolean =>
  allowed === unit || (allowed.endsWith('/*') && unit.startsWith(allowed.slice(0, -1)));

/** An accepted, known violation (`rule`, `file`, `specifier`), with the reason it is still there. */
export interface Allowed {
  rule: string;
  file: string;
  specifier: string;
  reason: string;
}

/**
 * Violations main has today, accepted until the change that removes them lands. Each entry names the
 * rule, the importing file and the import as written; the test fails when an entry no longer matches
 * (imports.test.ts), so stale entries get deleted.
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

/**
 * Every violation of `rules` in `files` (repository path → text), minus the `allowed` ones: an import
 * of a unit the rule does not name (`allow-list`), an I/O built-in or `process.env` in a pure unit
 * (`pure-core`), a package the rule does not name (`packages`), and a unit with no rule (`unruled`).
 */
export function checkImports(
  files: ReadonlyMap<string, string>,
  rules: Readonly<Record<string, FolderRule>> = RULES,
  allowed: readonly Allowed[] = [],
): Violation[] {
  const exists = (path: string): boolean => files.has(path);
  const violations: Violation[] = [];
  const add = (violation: Violation): void => {
    const accepted = allowed.some(
      (entry) =>
        entry.rule === violation.rule &&
        entry.file === violation.file &&
        entry.specifier === violation.specifier,
    );
    if (!accepted) violations.push(violation);
  };
  for (const [path, text] of files) {
    const unit = unitOf(path);
    const rule = ruleOf(unit, rules);
    if (rule === undefined) {
      add({ rule: 'unruled', file: path, specifier: unit, line: 1 });
      continue;
    }
    if (rule.builtins === 'pure') {
      const env = /\bprocess\s*\.\s*env\b/.exec(text);
      if (env)
        add({ rule: 'pure-core', file: path, specifier: 'process.env', line: lineAt(text, env.index) });
    }
    for (const found of importsOf(path, text, exists)) {
      const broken = breaks(rule, unit, found.target);
      if (broken) add({ rule: broken, file: path, specifier: found.specifier, line: found.line });
    }
  }
  return violations;
}

const lineAt = (text: string, position: number): number => text.slice(0, position).split('\n').length;

/** Which rule an import breaks, if any. */
function breaks(rule: FolderRule, unit: string, target: Target): string | undefined {
  if (target.kind === 'file') {
    const other = unitOf(target.path);
    if (other === unit || rule.units.some((allowed) => matchesUnit(allowed, other))) return undefined;
    return 'allow-list';
  }
  if (target.kind === 'builtin')
    return rule.builtins === 'pure' && IO_BUILTINS.has(target.name) ? 'pure-core' : undefined;
  if (rule.packages === undefined) return undefined;
  const name = target.name;
  return rule.packages.some((allowed) => name === allowed || name.startsWith(`${allowed}/`))
    ? undefined
    : 'packages';
}

/** One line per violation: `src/reader/x.ts:3 imports '../sources/y.js' (allow-list: reader may import …)`. */
export function describeViolations(
  violations: readonly Violation[],
  rules: Readonly<Record<string, FolderRule>> = RULES,
): string {
  return violations
    .map((violation) => {
      const unit = unitOf(violation.file);
      const rule = ruleOf(unit, rules);
      const why =
        rule === undefined
          ? `${unit} has no rule in test/architecture/import-rules.ts: add one`
          : `${unit} may import ${rule.units.join(', ') || 'no other unit'}`;
      return `${violation.file}:${violation.line} imports '${violation.specifier}' (${violation.rule}: ${why})`;
    })
    .join('\n');
}
