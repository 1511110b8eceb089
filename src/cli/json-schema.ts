/**
 * `livecfg schema --schema MODULE#EXPORT [--secret PATH] [--strict]`: prints the draft 2020-12 JSON
 * Schema of the config schema (zod 4's or valibot's converter), for editors. Secrets are `writeOnly`
 * and none of their defaults is written.
 */
import { isConfigError } from '../index.js';
import { jsonSchemaOf } from '../json-schema/index.js';
import { parseFlags, UsageError } from './args.js';
import type { CliIo } from './commands.js';
import { formatError } from './output.js';
import { loadSchema } from './schema.js';

/** The help of `livecfg schema`. */
export const SCHEMA_USAGE = `Usage: livecfg schema --schema MODULE#EXPORT [--secret PATH]... [--strict] > config.schema.json

Prints the JSON Schema (draft 2020-12) of a zod 4 or valibot schema (valibot needs the package
@valibot/to-json-schema), so that editors complete and check config files:
  # yaml-language-server: $schema=./config.schema.json
Descriptions, defaults, types and constraints are carried over. Secrets (key names such as password
or token, .meta({ secret: true }), the module's \`secrets\` export, --secret) are marked
"writeOnly": true and their defaults are not written.

Options:
  -s, --schema MODULE#EXPORT  the schema module (default export, else Schema or schema)
      --secret PATH           also treat PATH and below as secret (repeatable; * is any one key)
      --strict                reject keys the schema does not declare ("additionalProperties": false
                              on objects that would drop them), so that editors flag misspelt keys
  -h, --help                  this help
`;

const OPTIONS = {
  schema: { type: 'string', short: 's' },
  secret: { type: 'string', multiple: true },
  strict: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `schema`; resolves to the exit code (0 written, 1 the schema cannot be converted). */
export async function runSchema(argv: readonly string[], io: CliIo, cwd: string): Promise<number> {
  let values: { schema?: string; secret?: string[]; strict?: boolean; help?: boolean };
  try {
    const parsed = parseFlags(argv, OPTIONS);
    if (parsed.positionals.length > 0) throw new Error(`unexpected argument "${parsed.positionals[0]}"`);
    values = parsed.values;
  } catch (error) {
    throw new UsageError(`schema: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (values.help) {
    io.stdout(SCHEMA_USAGE);
    return 0;
  }
  if (!values.schema) throw new UsageError('schema needs --schema MODULE#EXPORT (e.g. ./schema.ts#Schema)');
  const loaded = await loadSchema(values.schema, cwd);
  try {
    const document = await jsonSchemaOf(loaded.schema, {
      secrets: [...loaded.secrets, ...(values.secret ?? [])],
      strict: values.strict ?? false,
    });
    io.stdout(`${JSON.stringify(document, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!isConfigError(error)) throw error;
    io.stderr(`livecfg schema: ${error.code}: ${formatError(error)}\n`);
    return 1;
  }
}
