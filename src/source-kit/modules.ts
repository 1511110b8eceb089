/** Importing modules by URL as Node does: a real dynamic `import()` in both builds, and tsx's `tsImport` for TypeScript. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `import(specifier)` compiled from a string, which tsup leaves alone (see {@link nativeImport}). */
let viaFunction: ((specifier: string) => Promise<unknown>) | undefined;
try {
  viaFunction = new Function('specifier', 'return import(specifier)') as typeof viaFunction;
} catch {
  viaFunction = undefined;
}
/**
 * A real dynamic `import()`, also in the CommonJS build: tsup turns a literal `import()` there into
 * `require()`, which cannot load a URL with a query (nor, before Node 20.19, an ES module). Where a
 * function made from a string cannot import (code generation disallowed, or a `vm` context such as a
 * test runner's: `ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING`), the literal `import()` it is.
 */
export async function nativeImport(specifier: string): Promise<unknown> {
  if (viaFunction !== undefined) {
    try {
      return await viaFunction(specifier);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING') throw error;
      viaFunction = undefined;
    }
  }
  return await import(specifier);
}

/** tsx's `tsImport(specifier, parentURL)`: imports a TypeScript module (and what it imports). */
export type TsImport = (specifier: string, parentURL: string) => Promise<unknown>;

/** tsx's `tsImport`, from the first of `bases` (file URLs) that has tsx installed; `undefined` when none has. */
export async function findTsImport(bases: readonly string[]): Promise<TsImport | undefined> {
  for (const base of bases) {
    const url = tsxEsmApi(base);
    if (url === undefined) continue;
    try {
      const { tsImport } = (await nativeImport(url)) as { tsImport?: TsImport };
      if (typeof tsImport === 'function') return tsImport;
    } catch {
      // a broken install there; try the next place
    }
  }
  return undefined;
}

/**
 * The file URL of tsx's ESM API (`tsx/esm/api`, its `import` condition: the CommonJS build's
 * `tsImport` cannot load ESM modules) as seen from `base`, or `undefined` when tsx is not there.
 */
export function tsxEsmApi(base: string): string | undefined {
  try {
    const manifest = createRequire(base).resolve('tsx/package.json');
    const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      exports?: Record<string, { import?: string | { default?: string } } | string>;
    };
    const entry = exports?.['./esm/api'];
    const target = typeof entry === 'object' ? entry.import : undefined;
    const file = typeof target === 'string' ? target : target?.default;
    return file === undefined ? undefined : pathToFileURL(resolve(dirname(manifest), file)).href;
  } catch {
    return undefined;
  }
}
