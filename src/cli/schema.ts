/** Loads `--schema module#export` and the secret paths that come with it. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compilePattern, type SecretPath, secretPathsOfSchema } from '../reader/redaction/index.js';
import { isStandardSchema, type StandardSchemaV1 } from '../reader/standard-schema.js';
import { findTsImport, type TsImport } from '../source-kit/modules.js';
import { UsageError } from './args.js';

/** A loaded schema with its secret path patterns (marked in the schema and the module's `secrets` export). */
export interface LoadedSchema {
  schema: StandardSchemaV1;
  /** Path texts (dotted, quoted keys, JSON arrays) or key arrays; `*` is any one key. */
  secrets: SecretPath[];
}

/** Splits `./schema.js#Schema` into the module path and the export name (`default` when omitted). */
export function parseSchemaSpec(spec: string): { modulePath: string; exportName: string | undefined } {
  const hash = spec.lastIndexOf('#');
  if (hash === -1) return { modulePath: spec, exportName: undefined };
  return { modulePath: spec.slice(0, hash), exportName: spec.slice(hash + 1) || undefined };
}

/**
 * Imports the schema module (relative to `cwd`). TypeScript modules load when the CLI runs under a
 * TypeScript loader (`node --import tsx`), or through `tsx` when it is installed.
 */
export async function loadSchema(spec: string, cwd: string): Promise<LoadedSchema> {
  const { modulePath, exportName } = parseSchemaSpec(spec);
  if (modulePath === '') throw new UsageError(`--schema "${spec}" names no module`);
  const url = pathToFileURL(resolve(cwd, modulePath)).href;
  const module = await importModule(url, modulePath, cwd);
  const names = exportName ? [exportName] : ['default', 'Schema', 'schema'];
  const name = names.find((candidate) => module[candidate] !== undefined);
  const schema = name === undefined ? undefined : module[name];
  if (name === undefined || schema === undefined) {
    const exported = Object.keys(module).join(', ') || 'nothing';
    throw new UsageError(`${modulePath} has no export "${names.join('" or "')}" (it exports ${exported})`);
  }
  if (!isStandardSchema(schema)) {
    throw new UsageError(
      `${modulePath}#${name} is not a Standard Schema (zod 4, valibot, arktype… export the schema itself)`,
    );
  }
  const listed = readSecretsExport(module.secrets, modulePath);
  return { schema, secrets: [...secretPathsOfSchema(schema), ...listed] };
}

/** The module's `secrets` export: paths as `get` takes them (dotted, quoted keys, JSON arrays) or key arrays. */
function readSecretsExport(listed: unknown, modulePath: string): SecretPath[] {
  if (listed === undefined) return [];
  const isPath = (item: unknown): item is SecretPath =>
    typeof item === 'string' || (Array.isArray(item) && item.every((key) => typeof key === 'string'));
  if (!Array.isArray(listed) || !listed.every(isPath)) {
    throw new UsageError(
      `${modulePath}: the "secrets" export must be an array of paths (strings or key arrays)`,
    );
  }
  for (const path of listed) {
    try {
      compilePattern(path);
    } catch (error) {
      throw new UsageError(
        `${modulePath}: secrets: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return listed;
}

async function importModule(url: string, modulePath: string, cwd: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new UsageError(`cannot load --schema ${modulePath}: ${describe(error)}`);
    }
  }
  // A .ts/.mts/.cts module under plain node: use tsx (an optional helper, not a dependency), from the
  // project in `cwd` first, else next to livecfg.
  const tsImport = await loadTsImport(cwd);
  if (!tsImport) {
    throw new UsageError(
      `cannot load --schema ${modulePath}: a TypeScript schema needs tsx; install it in this project (npm install --save-dev tsx) or point --schema at a compiled .js module`,
    );
  }
  try {
    return (await tsImport(url, pathToFileURL(`${cwd}/`).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`cannot load --schema ${modulePath}: ${describe(error)}`);
  }
}

/** tsx's ESM `tsImport`, from the project in `cwd` first, else from beside livecfg (the one finder the file source uses too). */
function loadTsImport(cwd: string): Promise<TsImport | undefined> {
  return findTsImport([pathToFileURL(`${cwd}/`).href, import.meta.url]);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
