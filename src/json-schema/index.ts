/** The JSON Schema of a config schema (zod 4's and valibot's own converters), with secrets kept out, and a key's facts from it. */
export { JSON_SCHEMA_DRAFT, type JsonSchema, type JsonSchemaOptions, jsonSchemaOf } from './convert.js';
export { type KeyFacts, keyFacts } from './facts.js';
