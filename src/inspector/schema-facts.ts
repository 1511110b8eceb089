/**
 * The schema facts of the details drawer: the config's schema converted to JSON Schema once per
 * inspector, on first use (the same conversion `livecfg schema` writes), then read per key:
 * description, default, type, constraints, and whether the schema drops the key. A secret's default is
 * never sent.
 */
import type { ConfigRedaction as Redaction } from '../index.js';
import { type JsonSchema, jsonSchemaOf, type KeyFacts, keyFacts } from '../json-schema/index.js';
import type { InspectedConfig } from './types.js';

/** What `/api/explain` sends about the schema of a key. */
export type SchemaView = KeyFacts | { error: string };

/** Converts the config's schema on first use and answers per key. */
export class SchemaFacts {
  private converted: Promise<{ document: JsonSchema } | { error: string }> | undefined;

  constructor(
    private readonly config: InspectedConfig,
    private readonly redaction: Redaction,
  ) {}

  /** The facts of the key at `keys`; `undefined` when the config has no schema. */
  async of(keys: readonly string[]): Promise<SchemaView | undefined> {
    const schema = this.config.schema;
    if (schema === undefined) return undefined;
    this.converted ??= jsonSchemaOf(schema, { isSecret: (path) => this.redaction.isSecret(path) }).then(
      (document) => ({ document }),
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
    );
    const converted = await this.converted;
    if ('error' in converted) return { error: this.redaction.redactText(converted.error) };
    const facts = keyFacts(converted.document, keys);
    const view: KeyFacts = {
      ...facts,
      secret: facts.secret || this.redaction.isSecret(keys),
      constraints: facts.constraints.map((line) => this.redaction.redactText(line)),
    };
    if (facts.description !== undefined) view.description = this.redaction.redactText(facts.description);
    if (view.secret) delete view.default;
    else if (facts.default !== undefined) view.default = this.redaction.redact(facts.default, keys);
    return view;
  }
}
