/**
 * `livecfg schema` run as a child process (`node --import tsx src/cli.ts schema …`), its output checked
 * with a real JSON Schema validator (ajv, draft 2020-12, strict mode): every example config validates,
 * broken ones are rejected, secrets are `writeOnly` and none of their defaults is written.
 */
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { killAll, ROOT, runCli, tempDir } from '../examples/child.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';

type JsonSchema = Record<string, unknown>;

/** Which schema each example's config files follow (the Nest example shares the Fastify schema). */
const EXAMPLE_SCHEMAS: Record<string, string> = {
  'examples/helloworld-service': 'examples/helloworld-service/schema.ts#Schema',
  'examples/fastify-service': 'examples/fastify-service/schema.ts#Schema',
  'examples/nest-service': 'examples/fastify-service/schema.ts#Schema',
};

/** Every YAML/JSON config file under examples/. */
function exampleConfigs(): string[] {
  const found: string[] = [];
  for (const dir of readdirSync(join(ROOT, 'examples'), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(join(ROOT, 'examples', dir.name))) {
      if (/\.(ya?ml|json)$/.test(file) && !/^(package|tsconfig)/.test(file)) {
        found.push(`examples/${dir.name}/${file}`);
      }
    }
  }
  return found;
}

function readConfig(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
}

/** A strict ajv (unknown keywords and formats throw), as a CI check of config files would use. */
function validatorOf(schema: JsonSchema) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  return ajv.compile(schema);
}

async function schemaOf(args: string[], cwd = ROOT): Promise<JsonSchema> {
  const { code, stdout, stderr } = await runCli(['schema', ...args], { cwd, timeoutMs: 30_000 });
  expect(withoutNodeWarnings(stderr)).toBe('');
  expect(code).toBe(0);
  const schema = JSON.parse(stdout) as JsonSchema;
  expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  return schema;
}

/** The node at a property path. */
function at(schema: JsonSchema, ...keys: string[]): JsonSchema {
  let node = schema;
  for (const key of keys) node = (node.properties as Record<string, JsonSchema>)[key] as JsonSchema;
  expect(node, keys.join('.')).toBeDefined();
  return node;
}

afterEach(killAll);

describe('livecfg schema on the examples', () => {
  it('covers every example config file', () => {
    const configs = exampleConfigs();
    expect(configs.length).toBeGreaterThanOrEqual(3);
    for (const config of configs) {
      expect(Object.keys(EXAMPLE_SCHEMAS), `${config} has no schema in EXAMPLE_SCHEMAS`).toContain(
        config.slice(0, config.lastIndexOf('/')),
      );
    }
  });

  it.for(Object.entries(EXAMPLE_SCHEMAS))(
    '%s: its config files validate against the schema of %s',
    { timeout: 60_000 },
    async ([dir, spec]) => {
      const schema = await schemaOf(['--schema', spec]);
      const validate = validatorOf(schema);
      const configs = exampleConfigs().filter((config) => config.startsWith(`${dir}/`));
      expect(configs.length).toBeGreaterThan(0);
      for (const config of configs) {
        const valid = validate(readConfig(join(ROOT, config)));
        expect(validate.errors ?? [], relative(ROOT, config)).toEqual([]);
        expect(valid).toBe(true);
      }
    },
  );

  it('carries descriptions, defaults, types and constraints; rejects broken configs', async () => {
    const schema = await schemaOf(['--schema', EXAMPLE_SCHEMAS['examples/helloworld-service'] as string]);
    expect(at(schema, 'server', 'port')).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      default: 8080,
      description: expect.stringContaining('free port'),
    });
    const validate = validatorOf(schema);
    const good = readConfig(join(ROOT, 'examples/helloworld-service/config.yaml')) as {
      server: Record<string, unknown>;
    };
    const broken = (patch: (config: typeof good) => void) => {
      const copy = structuredClone(good);
      patch(copy);
      return validate(copy);
    };
    expect(broken((config) => Object.assign(config.server, { port: 'eighty' }))).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/server/port', keyword: 'type' });
    expect(broken((config) => Object.assign(config.server, { port: 70_000 }))).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/server/port', keyword: 'maximum' });
    // A z.object() drops keys it does not declare: allowed as the schema allows it…
    expect(broken((config) => Object.assign(config.server, { prot: 1 }))).toBe(true);
    // …and rejected with --strict, so that an editor flags the misspelt key.
    const strict = validatorOf(
      await schemaOf(['--schema', 'examples/helloworld-service/schema.ts', '--strict']),
    );
    expect(strict(good)).toBe(true);
    expect(strict({ ...good, server: { ...good.server, prot: 1 } })).toBe(false);
    expect(strict.errors?.[0]).toMatchObject({ instancePath: '/server', keyword: 'additionalProperties' });
  }, 60_000);

  it('marks the secret admin.token writeOnly', async () => {
    const schema = await schemaOf(['--schema', 'examples/helloworld-service/schema.ts#Schema']);
    expect(at(schema, 'admin', 'token')).toMatchObject({ type: 'string', writeOnly: true });
    expect(JSON.stringify(schema)).not.toContain('"secret"');
  }, 30_000);
});

describe('livecfg schema on a project schema', () => {
  let dir: ReturnType<typeof tempDir>;
  const write = (name: string, text: string): void => writeFileSync(join(dir.path, name), text);
  const inDir = (args: string[]) => schemaOf(args, dir.path);

  beforeAll(() => {
    dir = tempDir('livecfg-json-schema-');
    symlinkSync(join(ROOT, 'node_modules'), join(dir.path, 'node_modules'), 'dir');
    write(
      'schema.ts',
      [
        "import { z } from 'zod';",
        'export const Schema = z.object({',
        '  server: z.object({ host: z.string().describe("Where to listen"), port: z.number().int().positive() }),',
        '  db: z',
        '    .object({',
        '      user: z.string(),',
        '      password: z.string().default("pw-default-1"),',
        '      dsn: z.string().meta({ secret: true, description: "The DSN" }).default("dsn-default-2"),',
        '      url: z.string().default("postgres://app:pw-in-url-3@db/app"),',
        '      pool: z.number().int().default(4),',
        '    })',
        '    .default({ user: "app", password: "pw-default-1", dsn: "dsn-default-2", url: "postgres://h/app", pool: 4 }),',
        '  tenants: z.record(z.string(), z.object({ url: z.string().default("tenant-default-4") })).default({}),',
        '  level: z.enum(["debug", "info"]).default("info"),',
        '  extra: z.string().default("extra-default-5"),',
        '});',
        "export const secrets = ['tenants.*.url'];",
        '',
      ].join('\n'),
    );
    write(
      'valibot-schema.mjs',
      [
        "import * as v from 'valibot';",
        'export default v.object({',
        '  server: v.object({',
        '    port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("The port")), 8080),',
        '    host: v.string(),',
        '  }),',
        '  signing: v.optional(v.pipe(v.string(), v.metadata({ secret: true })), "valibot-secret-6"),',
        '});',
        '',
      ].join('\n'),
    );
    write(
      'mini-schema.mjs',
      "import * as z from 'zod/mini';\nexport default z.object({ port: z.number().check(z.minimum(1)) });\n",
    );
    write(
      'arktype-like.mjs',
      "export default { '~standard': { version: 1, vendor: 'arktype', validate: (value) => ({ value }) } };\n",
    );
  });
  afterAll(() => dir.remove());

  it('rejects a missing required key and a wrong type; accepts a good config', async () => {
    const validate = validatorOf(await inDir(['--schema', './schema.ts#Schema']));
    const good = { server: { host: 'localhost', port: 8080 }, db: { user: 'bob' }, level: 'debug' };
    expect(validate(good)).toBe(true);
    expect(validate({ server: { port: 8080 } })).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({
        instancePath: '/server',
        keyword: 'required',
        params: { missingProperty: 'host' },
      }),
    );
    expect(validate({ ...good, level: 'verbose' })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/level', keyword: 'enum' });
  }, 30_000);

  it('marks secrets writeOnly and writes none of their defaults, nor a URL password', async () => {
    const schema = await inDir(['--schema', './schema.ts#Schema', '--secret', 'extra']);
    const text = JSON.stringify(schema);
    for (const secret of [
      'pw-default-1',
      'dsn-default-2',
      'pw-in-url-3',
      'tenant-default-4',
      'extra-default-5',
    ]) {
      expect(text).not.toContain(secret);
    }
    // By key name, by schema mark (with its description kept), by the module's `secrets`, by --secret.
    expect(at(schema, 'db', 'password')).toEqual({ type: 'string', writeOnly: true });
    expect(at(schema, 'db', 'dsn')).toEqual({ type: 'string', description: 'The DSN', writeOnly: true });
    const tenant = (at(schema, 'tenants').additionalProperties as JsonSchema).properties as Record<
      string,
      unknown
    >;
    expect(tenant.url).toEqual({ type: 'string', writeOnly: true });
    expect(at(schema, 'extra')).toEqual({ type: 'string', writeOnly: true });
    // A string default with a URL password is not written; other defaults are, the parent's without its secrets.
    expect(at(schema, 'db', 'url')).toEqual({ type: 'string' });
    expect(at(schema, 'db', 'pool')).toMatchObject({ default: 4 });
    expect(at(schema, 'db').default).toEqual({ user: 'app', url: 'postgres://h/app', pool: 4 });
    expect(at(schema, 'level')).toMatchObject({ default: 'info', enum: ['debug', 'info'] });
  }, 30_000);

  it('converts a valibot schema with @valibot/to-json-schema', async () => {
    const schema = await inDir(['--schema', './valibot-schema.mjs']);
    expect(JSON.stringify(schema)).not.toContain('valibot-secret-6');
    expect(at(schema, 'signing')).toEqual({ type: 'string', writeOnly: true });
    expect(at(schema, 'server', 'port')).toMatchObject({
      type: 'integer',
      minimum: 1,
      default: 8080,
      description: 'The port',
    });
    const validate = validatorOf(schema);
    expect(validate({ server: { host: 'h', port: 9090 } })).toBe(true);
    expect(validate({ server: { host: 'h', port: 0 } })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/server/port', keyword: 'minimum' });
    expect(validate({ server: { port: 9090 } })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'required' });
    // valibot's v.object drops unknown keys too; its converter says so with additionalProperties: false
    // only for strict objects, so without --strict an unknown key passes.
    expect(validate({ server: { host: 'h' }, other: 1 })).toBe(true);
  }, 30_000);

  it('converts a zod mini schema through the zod package', async () => {
    const validate = validatorOf(await inDir(['--schema', './mini-schema.mjs']));
    expect(validate({ port: 2 })).toBe(true);
    expect(validate({ port: 0 })).toBe(false);
  }, 30_000);

  it('refuses a schema of another validator with INVALID_ARGUMENT (exit 1)', async () => {
    const { code, stdout, stderr } = await runCli(['schema', '--schema', './arktype-like.mjs'], {
      cwd: dir.path,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('livecfg schema: INVALID_ARGUMENT: ');
    expect(stderr).toContain('vendor "arktype"');
    expect(stderr).toContain('zod 4 and valibot');
  }, 30_000);

  it('needs --schema (usage error, exit 2)', async () => {
    const { code, stderr } = await runCli(['schema'], { cwd: dir.path });
    expect(code).toBe(2);
    expect(stderr).toContain('schema needs --schema');
  }, 30_000);
});
