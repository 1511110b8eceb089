/**
 * What a JSON Schema (as {@link jsonSchemaOf} writes it) says about one config key: its description,
 * default, type and constraints, and whether the schema drops the key (an object that strips keys it
 * does not declare). For the inspector's details drawer.
 */
type Node = Record<string, unknown>;

/** What the schema says about a key. */
export interface KeyFacts {
  /** Whether the schema declares the key (a property, or an entry of a record or array). */
  declared: boolean;
  /** The key is not declared by an object that strips unknown keys: a source may hold it, the config will not. */
  dropped: boolean;
  description?: string;
  /** The schema's default (never a secret's: the conversion removed those). */
  default?: unknown;
  /** `integer`, `string | null`, `object`… */
  type?: string;
  /** One line each: `minimum 0`, `pattern ^a`, `one of "debug", "info"`. */
  constraints: string[];
  /** `writeOnly` (a secret). */
  secret: boolean;
}

const MAX_REFS = 32;
const CONSTRAINTS: ReadonlyArray<readonly [string, string]> = [
  ['minimum', 'minimum'],
  ['exclusiveMinimum', 'greater than'],
  ['maximum', 'maximum'],
  ['exclusiveMaximum', 'less than'],
  ['multipleOf', 'multiple of'],
  ['minLength', 'min length'],
  ['maxLength', 'max length'],
  ['pattern', 'pattern'],
  ['format', 'format'],
  ['minItems', 'min items'],
  ['maxItems', 'max items'],
  ['minProperties', 'min keys'],
  ['maxProperties', 'max keys'],
];

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The node a `$ref` (`#`, `#/$defs/name`) points at in `document`, followed a bounded number of times. */
function deref(document: Node, node: Node): Node {
  let current = node;
  for (let hops = 0; typeof current.$ref === 'string' && hops < MAX_REFS; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#')) return current;
    let target: unknown = document;
    for (const part of ref.slice(1).split('/').filter(Boolean)) {
      target = isNode(target) ? target[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
    }
    if (!isNode(target)) return current;
    current = target;
  }
  return current;
}

/** The node and the alternatives it stands for (`anyOf`, `oneOf`, `allOf` options, dereferenced). */
function alternatives(document: Node, node: Node, depth = 0): Node[] {
  const resolved = deref(document, node);
  const found = [resolved];
  if (depth > 8) return found;
  for (const list of ['anyOf', 'oneOf', 'allOf']) {
    const options = resolved[list];
    if (Array.isArray(options)) {
      for (const option of options)
        if (isNode(option)) found.push(...alternatives(document, option, depth + 1));
    }
  }
  return found;
}

interface Step {
  node: Node | undefined;
  /** Some alternative is an object that strips keys it does not declare, and none declares the key. */
  dropped: boolean;
}

function childOf(document: Node, node: Node, key: string): Step {
  let strips = false;
  let rejects = false;
  for (const option of alternatives(document, node)) {
    const properties = isNode(option.properties) ? option.properties : undefined;
    const declared = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (isNode(declared)) return { node: declared, dropped: false };
    if (isNode(option.additionalProperties)) return { node: option.additionalProperties, dropped: false };
    if (isNode(option.patternProperties)) {
      for (const [pattern, value] of Object.entries(option.patternProperties)) {
        if (isNode(value) && safeTest(pattern, key)) return { node: value, dropped: false };
      }
    }
    if (isNode(option.items) && /^\d+$/.test(key)) return { node: option.items, dropped: false };
    if (Array.isArray(option.prefixItems) && isNode(option.prefixItems[Number(key)])) {
      return { node: option.prefixItems[Number(key)] as Node, dropped: false };
    }
    if (properties && option.additionalProperties === false) rejects = true;
    else if (
      properties &&
      option.additionalProperties === undefined &&
      option.patternProperties === undefined
    ) {
      strips = true;
    }
  }
  return { node: undefined, dropped: strips && !rejects };
}

function safeTest(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    return false;
  }
}

function typeText(options: readonly Node[]): string | undefined {
  const types = new Set<string>();
  for (const option of options) {
    if (typeof option.type === 'string') types.add(option.type);
    else if (Array.isArray(option.type)) for (const type of option.type) types.add(String(type));
    else if (Array.isArray(option.enum)) types.add('enum');
    else if ('const' in option) types.add('constant');
  }
  return types.size === 0 ? undefined : [...types].join(' | ');
}

function constraintsOf(options: readonly Node[]): string[] {
  const lines: string[] = [];
  for (const option of options) {
    for (const [keyword, label] of CONSTRAINTS) {
      const value = option[keyword];
      // zod's `.int()` writes the safe-integer bounds: implied by "integer", not worth a line.
      if (value === undefined || (typeof value === 'number' && Math.abs(value) === Number.MAX_SAFE_INTEGER))
        continue;
      lines.push(`${label} ${String(value)}`);
    }
    if (Array.isArray(option.enum))
      lines.push(`one of ${option.enum.map((item) => JSON.stringify(item)).join(', ')}`);
    if ('const' in option) lines.push(`exactly ${JSON.stringify(option.const)}`);
    if (option.uniqueItems === true) lines.push('unique items');
    if (option.additionalProperties === false) lines.push('no other keys');
  }
  return [...new Set(lines)];
}

/** The first value of `keyword` among the alternatives. */
function first(options: readonly Node[], keyword: string): unknown {
  return options.find((option) => option[keyword] !== undefined)?.[keyword];
}

/**
 * What `document` says about the key at `keys`: described, defaulted, typed and constrained as the
 * schema converter wrote it. An undeclared key is `declared: false`, and `dropped` when an object
 * that strips unknown keys is where it would be.
 *
 * @example
 * keyFacts(await jsonSchemaOf(Schema), ['server', 'port']) // { declared: true, type: 'integer', constraints: ['minimum 0', …], … }
 */
export function keyFacts(document: Record<string, unknown>, keys: readonly string[]): KeyFacts {
  let node: Node | undefined = document;
  let dropped = false;
  for (const key of keys) {
    if (!node) break;
    const step = childOf(document, node, key);
    node = step.node;
    dropped = step.dropped;
  }
  if (!node) return { declared: false, dropped, constraints: [], secret: false };
  const options = alternatives(document, node);
  const facts: KeyFacts = {
    declared: true,
    dropped: false,
    constraints: constraintsOf(options),
    secret: options.some((option) => option.writeOnly === true),
  };
  const description = first(options, 'description') ?? first(options, 'title');
  if (typeof description === 'string') facts.description = description;
  const type = typeText(options);
  if (type !== undefined) facts.type = type;
  const defaultValue = first(options, 'default');
  if (defaultValue !== undefined && !facts.secret) facts.default = defaultValue;
  return facts;
}
