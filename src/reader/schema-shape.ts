/**
 * The expected shape of a config tree, read from a schema: which keys exist and which scalar kinds
 * they expect. Used to coerce string inputs (env, flags, KV stores) and to map env names to keys.
 * Understands zod 4 and valibot; other Standard Schema validators give an unknown shape (no coercion).
 */
export type Shape =
  | { kind: 'object'; children: ReadonlyMap<string, Shape> }
  | { kind: 'array'; item: Shape }
  | { kind: 'record'; value: Shape }
  | { kind: 'union'; options: readonly Shape[] }
  | { kind: 'number' | 'boolean' | 'string' | 'bigint' | 'unknown' };

const UNKNOWN: Shape = { kind: 'unknown' };

/** Reads the shape of a zod 4 or valibot schema; anything else is `unknown`. */
export function shapeOf(schema: unknown, depth = 0): Shape {
  if (depth > 32 || schema === null || typeof schema !== 'object') return UNKNOWN;
  const zodDef = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (zodDef) return dialectShape(ZOD, zodDef, depth);
  if ((schema as { kind?: unknown }).kind === 'schema')
    return dialectShape(VALIBOT, schema as Record<string, unknown>, depth);
  return UNKNOWN;
}

/**
 * How a schema library names the parts a shape needs: its node types for objects, arrays, records and
 * unions, the fields that hold their children, and its wrapper types (optional, nullable, pipe…) with
 * the child each wraps. One reader ({@link dialectShape}) walks both zod 4 and valibot through it.
 */
interface Dialect {
  objects: readonly string[];
  /** Field of an object's entries, an array's item, a record's value type. */
  entries: string;
  item: string;
  value: string;
  /** Wrapper type → the wrapped schema. */
  wrapped: Readonly<Record<string, (node: Record<string, unknown>) => unknown>>;
}

const innerType = (node: Record<string, unknown>): unknown => node.innerType;
const wrappedField = (node: Record<string, unknown>): unknown => node.wrapped;

/** zod 4 (`schema._zod.def`). */
const ZOD: Dialect = {
  objects: ['object'],
  entries: 'shape',
  item: 'element',
  value: 'valueType',
  wrapped: {
    ...Object.fromEntries(
      ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].map((type) => [
        type,
        innerType,
      ]),
    ),
    pipe: (def) => def.in,
    lazy: (def) => (typeof def.getter === 'function' ? (def.getter as () => unknown)() : undefined),
  },
};

/** valibot (the schema object itself). */
const VALIBOT: Dialect = {
  objects: ['object', 'loose_object', 'strict_object', 'object_with_rest'],
  entries: 'entries',
  item: 'item',
  value: 'value',
  wrapped: Object.fromEntries(
    [
      'optional',
      'nullable',
      'nullish',
      'exact_optional',
      'undefinedable',
      'non_optional',
      'non_nullable',
      'non_nullish',
    ].map((type) => [type, wrappedField]),
  ),
};

const SCALARS = new Set(['number', 'boolean', 'string', 'bigint']);

function dialectShape(dialect: Dialect, node: Record<string, unknown>, depth: number): Shape {
  const type = String(node.type);
  const child = (schema: unknown): Shape => shapeOf(schema, depth + 1);
  if (dialect.objects.includes(type)) {
    const entries = node[dialect.entries] as Record<string, unknown>;
    return { kind: 'object', children: new Map(Object.entries(entries).map(([key, v]) => [key, child(v)])) };
  }
  if (type === 'array') return { kind: 'array', item: child(node[dialect.item]) };
  if (type === 'record') return { kind: 'record', value: child(node[dialect.value]) };
  if (type === 'union') return { kind: 'union', options: (node.options as unknown[]).map(child) };
  const unwrap = Object.hasOwn(dialect.wrapped, type) ? dialect.wrapped[type] : undefined;
  if (unwrap) return child(unwrap(node));
  if (SCALARS.has(type)) return { kind: type as 'number' | 'boolean' | 'string' | 'bigint' };
  return UNKNOWN;
}

/** The shape at a path, or `undefined` when the schema does not know it. */
export function shapeAt(shape: Shape, path: readonly string[]): Shape | undefined {
  let node: Shape | undefined = shape;
  for (const key of path) {
    if (!node) return undefined;
    if (node.kind === 'object') node = node.children.get(key);
    else if (node.kind === 'record') node = node.value;
    else if (node.kind === 'array' && /^\d+$/.test(key)) node = node.item;
    else return undefined;
  }
  return node;
}
