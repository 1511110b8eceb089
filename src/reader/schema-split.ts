/**
 * Splitting a schema along a path, so that a change below that path can be validated alone.
 *
 * A step from a schema to a child is safe when validating the child alone gives exactly the child of
 * the whole validation: zod 4 objects and records (with a plain string key) and valibot objects and
 * records, with no checks, refinements, pipes or transforms of their own, seen through optional,
 * nullable, default and readonly wrappers (the value at the step is present, so a wrapper is a no-op).
 * Anything else (unions, `.refine()` on the object, `.transform()`, `catch`, lazy, intersections,
 * unknown validators, a key the object does not declare) stops the split: the caller validates there,
 * or the whole tree.
 */
import type { StandardSchemaV1 } from './standard-schema.js';

type Def = Record<string, unknown>;

const ZOD_WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional']);
const VALIBOT_WRAPPERS = new Set(['optional', 'nullable', 'nullish', 'undefinedable', 'exact_optional']);
const VALIBOT_OBJECTS = new Set(['object', 'loose_object', 'strict_object', 'object_with_rest']);

function zodDef(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | null)?._zod?.def;
}

function hasChecks(def: Def): boolean {
  return Array.isArray(def.checks) && def.checks.length > 0;
}

/** A safe step: the child schema, and whether it is a record's value schema (an absent entry is valid). */
interface Step {
  schema: unknown;
  record: boolean;
}

/** The child schema of `schema` at `key`, or undefined when the step is not safe. */
function childSchema(schema: unknown, key: string): Step | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  let def = zodDef(schema);
  if (def) {
    for (let guard = 0; def && ZOD_WRAPPERS.has(def.type as string) && guard < 16; guard++) {
      def = zodDef(def.innerType);
    }
    if (!def || hasChecks(def)) return undefined;
    if (def.type === 'object') {
      const shape = def.shape as Record<string, unknown>;
      return Object.hasOwn(shape, key) ? { schema: shape[key], record: false } : undefined;
    }
    if (def.type === 'record') {
      const keyDef = zodDef(def.keyType);
      if (keyDef?.type !== 'string' || hasChecks(keyDef)) return undefined;
      return { schema: def.valueType, record: true };
    }
    return undefined;
  }
  let node = schema as Def;
  for (let guard = 0; node && VALIBOT_WRAPPERS.has(node.type as string) && guard < 16; guard++) {
    node = node.wrapped as Def;
  }
  if (node?.kind !== 'schema' || node.pipe !== undefined) return undefined;
  if (VALIBOT_OBJECTS.has(node.type as string)) {
    const entries = node.entries as Record<string, unknown>;
    return Object.hasOwn(entries, key) ? { schema: entries[key], record: false } : undefined;
  }
  if (node.type === 'record') {
    const keySchema = node.key as Def | undefined;
    if (keySchema?.type !== 'string' || keySchema.pipe !== undefined) return undefined;
    return { schema: node.value, record: true };
  }
  return undefined;
}

/** One level of a split schema: the schema there, and whether its parent is a record. */
export interface SplitLevel {
  schema: StandardSchemaV1;
  /** A record's entry: when absent it is valid as it is (not validated as `undefined`). */
  recordEntry: boolean;
}

/**
 * How deep `path` can be split: one level per safe step from the root (`[0]` is the root itself).
 */
export function splitSchema(schema: StandardSchemaV1, path: readonly string[]): SplitLevel[] {
  const levels: SplitLevel[] = [{ schema, recordEntry: false }];
  let node: unknown = schema;
  for (const key of path) {
    const step = childSchema(node, key);
    const child = step?.schema as Partial<StandardSchemaV1> | undefined;
    if (!step || typeof child?.['~standard']?.validate !== 'function') break;
    levels.push({ schema: child as StandardSchemaV1, recordEntry: step.record });
    node = step.schema;
  }
  return levels;
}
