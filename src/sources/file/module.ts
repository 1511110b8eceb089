import { createRequire } from 'node:module';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ParseContext } from '../../reader/contract.js';
import { ConfigError } from '../../reader/errors.js';
import { findTsImport, nativeImport, type TsImport } from '../../source-kit/modules.js';
import type { Parser } from '../../source-kit/source.js';

/** The extensions read as config modules rather than as documents. */
export const MODULE_EXTENSIONS: readonly string[] = ['.js', '.cjs', '.mjs', '.ts', '.mts', '.cts'];
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

/**
 * Each read of a module imports a new URL, so that an edit is seen. The token is unique per copy of
 * this file too: the ESM and CommonJS builds (or two entry bundles) loaded in one process each count
 * from 1, and a URL one of them imported before would give back that old module.
 */
const copyToken = Math.random().toString(36).slice(2, 10);
let generation = 0;

/**
 * The reader of config modules (`.js`, `.cjs`, `.mjs`, and `.ts`/`.mts`/`.cts` through tsx when it is
 * installed), picked by `file()` for those extensions: the file is imported (not parsed), and its
 * default export, or else its `module.exports` / named exports, is the document. Each read imports
 * it afresh (a new URL for ESM, a cleared `require.cache` entry for CommonJS), so that a watched
 * module's edits apply; modules it imports itself are not re-imported. A module exporting a function
 * is called with node-config's `{ defer, util, raw }`, which livecfg does not provide (each throws a
 * clear error). A getter is read once, at each import. Values must be plain data: a function, a
 * RegExp or a class instance is a `PARSE` error naming the file and the path. The module's own
 * objects are copied, never frozen (the application may import them too).
 */
export const MODULE_PARSER: Parser = Object.freeze({
  name: 'module',
  extensions: MODULE_EXTENSIONS,
  async parse(_text: string, context: ParseContext) {
    const path = resolve(context.name);
    const namespace = await importFresh(path, context);
    // parseWithParser checks the value: plain data, a mapping at the top (else a PARSE error).
    return { data: moduleDocument(namespace, context) as Record<string, unknown> };
  },
});

/** Imports the module at `path` as a new instance (CommonJS cache entry cleared, ESM under a new URL). */
async function importFresh(path: string, context: ParseContext): Promise<Record<string, unknown>> {
  const url = `${pathToFileURL(path).href}?livecfg=${copyToken}-${++generation}`;
  const require = createRequire(path);
  delete require.cache[path];
  try {
    if (TYPESCRIPT.has(extname(path).toLowerCase())) {
      const tsImport = await loadTsImport(path, context);
      return (await tsImport(url, pathToFileURL(path).href)) as Record<string, unknown>;
    }
    return (await nativeImport(url)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw moduleError(path, context, error);
  } finally {
    delete require.cache[path];
  }
}

/** The document a module exports: `default` (unwrapping a transpiled `__esModule`), else its named exports. */
function moduleDocument(namespace: Record<string, unknown>, context: ParseContext): unknown {
  let value: unknown = namespace.default ?? { ...namespace };
  if (isObject(value) && (value as { __esModule?: unknown }).__esModule === true) {
    const inner = (value as { default?: unknown }).default;
    if (isObject(inner)) value = inner;
  }
  if (typeof value === 'function') value = (value as (helpers: unknown) => unknown)(unsupported(context));
  value = copyTree(value, 0);
  if (isObject(value) && Object.hasOwn(value, '__esModule'))
    delete (value as { __esModule?: unknown }).__esModule;
  return value;
}

/** Deeper than this, {@link copyTree} stops copying (a cycle); the depth check then rejects the document. */
const MAX_COPY_DEPTH = 256;

/**
 * A copy of a module's plain objects and arrays (a getter is read once, here): the document is
 * converted and deep-frozen in place later, and the module's own objects, which the application may
 * import too, must stay as they are. Anything else is kept as is, for the plain-data check to report.
 */
function copyTree(value: unknown, depth: number): unknown {
  if (depth > MAX_COPY_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => copyTree(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyTree((value as Record<string, unknown>)[key], depth + 1);
    Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** node-config's `{ defer, util, raw }` for modules exporting a function: each throws a clear error. */
function unsupported(context: ParseContext): Record<string, unknown> {
  const fail = (what: string) => () => {
    throw new ConfigError(
      'PARSE',
      `${context.name}: ${what} is node-config's and not supported by livecfg: export plain values (see docs/node-config.md)`,
      { source: context.source, file: context.name },
    );
  };
  return {
    defer: fail('defer()'),
    raw: fail('raw()'),
    util: new Proxy({}, { get: (_t, key) => fail(`util.${String(key)}`)() }),
  };
}

/** An import failure as a `PARSE` error naming the file, with the line and column when the stack has them. */
function moduleError(path: string, context: ParseContext, error: unknown): ConfigError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = new RegExp(`${escaped}(?:\\?[^:\\s)]*)?:(\\d+)(?::(\\d+))?`).exec(
    stack.replaceAll('file://', ''),
  );
  const line = at ? Number(at[1]) : undefined;
  const column = at?.[2] === undefined ? undefined : Number(at[2]);
  const where = line === undefined ? context.name : `${context.name}:${line}${column ? `:${column}` : ''}`;
  return new ConfigError('PARSE', `${where}: cannot load the config module: ${reason}`, {
    source: context.source,
    file: context.name,
    line,
    column,
    cause: error,
  });
}

let tsImportLoading: Promise<TsImport | undefined> | undefined;

/** tsx's `tsImport`, from beside the module first, else from beside livecfg; a clear error when absent. */
async function loadTsImport(path: string, context: ParseContext): Promise<TsImport> {
  tsImportLoading ??= findTsImport([pathToFileURL(path).href, import.meta.url]);
  const tsImport = await tsImportLoading;
  if (tsImport !== undefined) return tsImport;
  tsImportLoading = undefined;
  throw new ConfigError(
    'INVALID_ARGUMENT',
    `${context.name}: a TypeScript config module needs tsx, which is not installed: run \`npm install --save-dev tsx\`, or compile the file to .js`,
    { source: context.source, file: context.name },
  );
}
