/**
 * A draft 2020-12 JSON Schema from a config schema, by the schema library's own converter: zod 4's
 * (`schema.toJSONSchema()`, or `toJSONSchema` of the `zod` package for zod mini and core schemas) or
 * valibot's (`@valibot/to-json-schema`, an optional peer). The input side is converted (what a config
 * file may hold: a key with a default is optional). Secrets are then kept out (see secrets.ts).
 */
import { ConfigError, type StandardSchemaV1 } from '../index.js';
import { createRedactor } from '../redaction.js';
import { guardSecrets } from './secrets.js';

/** The `$schema` of every JSON Schema livecfg writes. */
export const JSON_SCHEMA_DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/** A JSON Schema document (plain JSON). */
export type JsonSchema = Record<string, unknown>;

/** Options of {@link jsonSchemaOf}. */
export interface JsonSchemaOptions {
  /** More secret paths (`db.url`, `tenants.*.dsn`, key arrays), besides key names and schema marks. */
  secrets?: readonly (string | readonly string[])[];
  /** Also secret when this says so (e.g. a Config's `redaction.isSecret`). */
  isSecret?: (keys: readonly string[]) => boolean;
  /**
   * Objects that drop unknown keys (zod's `z.object`, valibot's `v.object`) reject them instead
   * (`additionalProperties: false`), so that an editor flags a misspelt key. Default false.
   */
  strict?: boolean;
}

type ZodConvert = (schema: unknown, params: Record<string, unknown>) => unknown;

const ZOD_PARAMS = { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' } as const;

/** What converts this schema to JSON Schema, or an `INVALID_ARGUMENT` ConfigError naming the vendor. */
async function convert(schema: StandardSchemaV1): Promise<unknown> {
  const vendor = schema['~standard']?.vendor;
  const own = (schema as { toJSONSchema?: unknown }).toJSONSchema;
  const isZod4 = typeof (schema as { _zod?: unknown })._zod === 'object';
  if (isZod4 && typeof own === 'function')
    return (own as (params: unknown) => unknown).call(schema, ZOD_PARAMS);
  if (isZod4) {
    // zod mini and zod/v4/core schemas: the `zod` package the project has converts any of them.
    const zod = (await import('zod').catch((error: unknown) => {
      throw missing('zod', error);
    })) as { toJSONSchema?: ZodConvert; z?: { toJSONSchema?: ZodConvert } };
    const toJSONSchema = zod.toJSONSchema ?? zod.z?.toJSONSchema;
    if (typeof toJSONSchema !== 'function') throw unsupported('zod without toJSONSchema');
    return toJSONSchema(schema, ZOD_PARAMS);
  }
  if (vendor === 'zod') throw unsupported('zod 3: upgrade to zod 4, which converts its own schemas');
  if (vendor === 'valibot') {
    const { toJsonSchema } = await import('@valibot/to-json-schema').catch((error: unknown) => {
      throw missing('@valibot/to-json-schema', error);
    });
    return toJsonSchema(schema as never, { target: 'draft-2020-12', typeMode: 'input', errorMode: 'ignore' });
  }
  throw unsupported(typeof vendor === 'string' ? `vendor "${vendor}"` : 'no vendor');
}

function unsupported(what: string): ConfigError {
  return new ConfigError(
    'INVALID_ARGUMENT',
    `cannot write a JSON Schema of this schema (${what}): livecfg converts zod 4 and valibot schemas`,
  );
}

function missing(pkg: string, cause: unknown): ConfigError {
  return new ConfigError(
    'INVALID_ARGUMENT',
    `a JSON Schema of this schema needs the package "${pkg}", which is not installed: run \`npm install ${pkg}\``,
    { cause },
  );
}

/**
 * The draft 2020-12 JSON Schema of a zod 4 or valibot schema, for editors (completion, checking) and
 * the inspector. Descriptions, defaults, types and constraints come from the library's converter;
 * a secret (key name, schema mark, `secrets`) is `writeOnly: true` and no default of it is written,
 * nor a URL password in any default. Any other validator rejects with an `INVALID_ARGUMENT` ConfigError.
 *
 * @example
 * const schema = await jsonSchemaOf(Schema, { secrets: ['tenants.*.dsn'] });
 * writeFileSync('config.schema.json', `${JSON.stringify(schema, null, 2)}\n`);
 */
export async function jsonSchemaOf(
  schema: StandardSchemaV1,
  options: JsonSchemaOptions = {},
): Promise<JsonSchema> {
  const converted = await convert(schema);
  if (converted === null || typeof converted !== 'object' || Array.isArray(converted)) {
    throw unsupported('the converter gave no object');
  }
  // A copy made of plain JSON: nothing of the converter's objects is shared or mutated.
  const { $schema: _draft, ...rest } = JSON.parse(JSON.stringify(converted)) as JsonSchema;
  const redactor = createRedactor({ paths: options.secrets ?? [], schema });
  const extra = options.isSecret;
  const isSecret = (keys: readonly string[]): boolean =>
    keys.length > 0 && (redactor.isSecretPath(keys) || extra?.(keys) === true);
  const document: JsonSchema = { $schema: JSON_SCHEMA_DRAFT, ...rest };
  guardSecrets(document, isSecret, options.strict ?? false);
  return document;
}
