/**
 * Secret paths marked in a schema, read without importing any schema library (pure):
 * - zod 4: `.meta({ secret: true })` (the metadata lives in zod's global registry, which every zod copy
 *   shares through `globalThis.__zod_globalRegistry`; `z.globalRegistry.get(schema)?.secret`);
 * - valibot: `v.pipe(v.string(), v.metadata({ secret: true }))`.
 * Records and arrays contribute a `*` key, so `tenants: z.record(z.string(), z.object({ key: … }))`
 * marks `tenants.*.key`. A mark on a branch hides the whole branch.
 */

/** Reads a schema node's metadata (injectable for tests). */
export type MetaOf = (schema: object) => Record<string, unknown> | undefined;

interface Registry {
  get(schema: object): unknown;
}

/** zod's global registry (shared by every zod 4 copy in the process), when zod is loaded. */
export const zodGlobalMeta: MetaOf = (schema) => {
  if (!('_zod' in schema)) return undefined; // the registry only takes zod schemas
  const registry = (globalThis as { __zod_globalRegistry?: Registry }).__zod_globalRegistry;
  const meta = registry?.get(schema);
  return meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>) : undefined;
};

const MAX_DEPTH = 40;

/**
 * The secret path patterns marked in `schema`, as key arrays where `*` is any key
 * (`['db', 'password']`, `['tenants', '*', 'apiKey']`); the schema's root itself is never listed.
 *
 * @example
 * secretPathsOfSchema(z.object({ db: z.object({ url: z.string().meta({ secret: true }) }) })) // [['db', 'url']]
 */
export function secretPathsOfSchema(schema: unknown, metaOf: MetaOf = zodGlobalMeta): string[][] {
  const found = new Map<string, string[]>();
  const seen = new Set<object>();

  const visit = (node: unknown, path: readonly string[], depth: number): void => {
    if (node === null || typeof node !== 'object' || depth > MAX_DEPTH) return;
    if (isMarked(node, metaOf)) {
      if (path.length > 0) found.set(JSON.stringify(path), [...path]);
      return;
    }
    if (seen.has(node)) return;
    seen.add(node);
    for (const [child, key] of children(node))
      visit(child, key === undefined ? path : [...path, key], depth + 1);
    seen.delete(node);
  };

  visit(schema, [], 0);
  return [...found.values()];
}

function isMarked(node: object, metaOf: MetaOf): boolean {
  if (metaOf(node)?.secret === true) return true;
  const pipe = (node as { pipe?: unknown }).pipe;
  if (Array.isArray(pipe)) {
    return pipe.some(
      (item) =>
        (item as { type?: unknown })?.type === 'metadata' &&
        (item as { metadata?: { secret?: unknown } }).metadata?.secret === true,
    );
  }
  return false;
}

/** The child schemas of a node, each with the key it adds to the path (`undefined`: same path). */
function children(node: object): Array<[unknown, string | undefined]> {
  const zodDef = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (zodDef) return zodChildren(zodDef);
  if ((node as { kind?: unknown }).kind === 'schema') return valibotChildren(node as Record<string, unknown>);
  return [];
}

function zodChildren(def: Record<string, unknown>): Array<[unknown, string | undefined]> {
  switch (def.type) {
    case 'object':
      return Object.entries((def.shape ?? {}) as Record<string, unknown>).map(([key, child]) => [child, key]);
    case 'array':
      return [[def.element, '*']];
    case 'record':
    case 'map':
      return [[def.valueType, '*']];
    case 'tuple':
      return ((def.items ?? []) as unknown[]).map((item, index) => [item, String(index)]);
    case 'union':
      return ((def.options ?? []) as unknown[]).map((option) => [option, undefined]);
    case 'intersection':
      return [
        [def.left, undefined],
        [def.right, undefined],
      ];
    case 'pipe':
      return [
        [def.in, undefined],
        [def.out, undefined],
      ];
    case 'lazy':
      return typeof def.getter === 'function' ? [[(def.getter as () => unknown)(), undefined]] : [];
    default:
      return def.innerType === undefined ? [] : [[def.innerType, undefined]];
  }
}

function valibotChildren(schema: Record<string, unknown>): Array<[unknown, string | undefined]> {
  if (schema.entries !== null && typeof schema.entries === 'object') {
    return Object.entries(schema.entries as Record<string, unknown>).map(([key, child]) => [child, key]);
  }
  if (schema.item !== undefined) return [[schema.item, '*']];
  if (schema.type === 'record') return [[schema.value, '*']];
  if (Array.isArray(schema.options)) return schema.options.map((option) => [option, undefined]);
  if (schema.wrapped !== undefined) return [[schema.wrapped, undefined]];
  return [];
}
