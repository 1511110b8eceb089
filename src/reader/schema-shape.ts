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
  if (zodDef) return zodShape(zodDef, depth);
  if ((schema as { kind?: unknown }).kind === 'schema')
    return valibotShape(schema as Record<string, unknown>, depth);
  return UNKNOWN;
}

function objectShape(entries: Record<string, unknown>, depth: number): Shape {
  const children = new Map<string, Shape>();
  for (const [key, child] of Object.entries(entries)) children.set(key, shapeOf(child, depth + 1));
  return { kind: 'object', children };
}

function zodShape(def: Record<string, unknown>, depth: number): Shape {
  switch (def.type) {
    case 'object':
      return objectShape(def.shape as Record<string, unknown>, depth);
    case 'array':
      return { kind: 'array', item: shapeOf(def.element, depth + 1) };
    case 'record':
      return { kind: 'record', value: shapeOf(def.valueType, depth + 1) };
    case 'union':
      return {
        kind: 'union',
        options: (def.options as unknown[]).map((option) => shapeOf(option, depth + 1)),
      };
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return shapeOf(def.innerType, depth + 1);
    case 'pipe':
      return shapeOf(def.in, depth + 1);
    case 'lazy':
      return typeof def.getter === 'function' ? shapeOf((def.getter as () => unknown)(), depth + 1) : UNKNOWN;
    case 'number':
    case 'boolean':
    case 'string':
    case 'bigint':
      return { kind: def.type };
    default:
      return UNKNOWN;
  }
}

function valibotShape(schema: Record<string, unknown>, depth: number): Shape {
  switch (schema.type) {
    case 'object':
    case 'loose_object':
    case 'strict_object':
    case 'object_with_rest':
      return objectShape(schema.entries as Record<string, unknown>, depth);
    case 'array':
      return { kind: 'array', item: shapeOf(schema.item, depth + 1) };
    case 'record':
      return { kind: 'record', value: shapeOf(schema.value, depth + 1) };
    case 'union':
      return {
        kind: 'union',
        options: (schema.options as unknown[]).map((option) => shapeOf(option, depth + 1)),
      };
    case 'optional':
    case 'nullable':
    case 'nullish':
    case 'exact_optional':
    case 'undefinedable':
    case 'non_optional':
    case 'non_nullable':
    case 'non_nullish':
      return shapeOf(schema.wrapped, depth + 1);
    case 'number':
    case 'boolean':
    case 'string':
    case 'bigint':
      return { kind: schema.type };
    default:
      return UNKNOWN;
  }
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
