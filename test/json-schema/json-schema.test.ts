/**
 * The JSON Schema conversion (src/json-schema): no secret default reaches the output whatever the
 * shape (a property test against the key-name rule as reference model), `$defs` and `$ref` (recursive
 * schemas), nullable alternatives, records and arrays in the key facts, and "dropped" for a key an
 * object strips.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isConfigError, type StandardSchemaV1 } from '../../src/index.js';
import { jsonSchemaOf, keyFacts } from '../../src/json-schema/index.js';
import { isSecretKey } from '../../src/redaction.js';

type Tree = { [key: string]: string | Tree };

/** Keys among which some are credentials by name. */
const key = fc.constantFrom(
  'name',
  'port',
  'host',
  'password',
  'apiKey',
  'token',
  'dsn',
  'label',
  'secretKey',
  'db',
);

/** A tree of unique string leaves (`v0`, `v1`…), so that each default can be looked for in the output. */
const tree: fc.Arbitrary<Tree> = fc
  .letrec<{ node: Tree }>((tie) => ({
    node: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, fc.constant('leaf'), tie('node')), {
      minKeys: 1,
      maxKeys: 4,
    }) as fc.Arbitrary<Tree>,
  }))
  .node.map((node) => {
    let next = 0;
    const number = (value: Tree): Tree =>
      Object.fromEntries(
        Object.entries(value).map(([k, child]) => [
          k,
          typeof child === 'string' ? `value-${next++}-x` : number(child),
        ]),
      );
    return number(node);
  });

/** A zod schema of the tree's shape: each leaf a string with its value as default, each branch defaulted to its subtree. */
function zodOf(node: Tree): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [k, child] of Object.entries(node)) {
    shape[k] = typeof child === 'string' ? z.string().default(child) : zodOf(child);
  }
  return z.object(shape).default(node as never);
}

/** The reference model: every leaf, and whether a key on its path is a credential by name. */
function leaves(node: Tree, secret = false): Array<{ value: string; secret: boolean }> {
  return Object.entries(node).flatMap(([k, child]) => {
    const isSecret = secret || isSecretKey(k);
    return typeof child === 'string' ? [{ value: child, secret: isSecret }] : leaves(child, isSecret);
  });
}

describe('jsonSchemaOf', () => {
  it('writes no default of a secret, at any depth, in its own default or a parent’s (property)', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (config) => {
        const text = JSON.stringify(await jsonSchemaOf(zodOf(config) as StandardSchemaV1));
        for (const leaf of leaves(config)) {
          if (leaf.secret) expect(text).not.toContain(`"${leaf.value}"`);
          else expect(text).toContain(`"${leaf.value}"`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('guards $defs too: a recursive schema’s secret keys lose their defaults', async () => {
    interface Node {
      name: string;
      token: string;
      children: Node[];
    }
    const NodeSchema: z.ZodType<Node> = z.lazy(() =>
      z.object({
        name: z.string().default('node-name'),
        token: z.string().default('recursive-token-default'),
        children: z.array(NodeSchema).default([]),
      }),
    );
    const schema = await jsonSchemaOf(z.object({ root: NodeSchema }));
    const text = JSON.stringify(schema);
    expect(text).toContain('$ref');
    expect(text).not.toContain('recursive-token-default');
    expect(text).toContain('node-name');
    const facts = keyFacts(schema, ['root', 'children', '0', 'children', '0', 'name']);
    expect(facts).toMatchObject({ declared: true, type: 'string', default: 'node-name' });
    expect(keyFacts(schema, ['root', 'children', '0', 'token'])).toMatchObject({ secret: true });
  });

  it('reads facts through nullable alternatives, records and arrays; "dropped" for a stripped key', async () => {
    const schema = await jsonSchemaOf(
      z.object({
        timeout: z.number().min(1).nullable().describe('Seconds, or null for none'),
        tenants: z.record(z.string(), z.object({ url: z.string().url() })),
        hosts: z.array(z.string().min(3)),
        strict: z.strictObject({ a: z.string() }),
      }),
    );
    expect(keyFacts(schema, ['timeout'])).toMatchObject({
      declared: true,
      type: 'number | null',
      description: 'Seconds, or null for none',
      constraints: ['minimum 1'],
    });
    expect(keyFacts(schema, ['tenants', 'acme', 'url'])).toMatchObject({ declared: true, type: 'string' });
    expect(keyFacts(schema, ['hosts', '2'])).toMatchObject({ constraints: ['min length 3'] });
    expect(keyFacts(schema, ['tiemout'])).toMatchObject({ declared: false, dropped: true });
    expect(keyFacts(schema, ['tiemout', 'deep'])).toMatchObject({ declared: false, dropped: true });
    // A strict object rejects the key: validation fails, nothing is dropped silently.
    expect(keyFacts(schema, ['strict', 'b'])).toMatchObject({ declared: false, dropped: false });
  });

  it('valibot: metadata({ secret: true }) is writeOnly without its default', async () => {
    const schema = await jsonSchemaOf(
      v.object({
        sign: v.optional(v.pipe(v.string(), v.metadata({ secret: true })), 'valibot-default-sign'),
      }),
    );
    expect(JSON.stringify(schema)).not.toContain('valibot-default-sign');
    expect(keyFacts(schema, ['sign'])).toMatchObject({ secret: true });
  });

  it('rejects another vendor with INVALID_ARGUMENT', async () => {
    const other: StandardSchemaV1 = {
      '~standard': { version: 1, vendor: 'arktype', validate: (value) => ({ value }) },
    };
    const error = await jsonSchemaOf(other).catch((caught: unknown) => caught);
    expect(isConfigError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect(String((error as Error).message)).toContain('vendor "arktype"');
  });
});
