/**
 * Property (issue 11 item 10, issue 17 item 6): no generated secret value ever appears in any output
 * of `print`, `get`, `explain`, `validate` or `watch -o json`, stdout or stderr.
 *
 * Configs are generated with secrets under secret-looking keys in random casing and spelling, under
 * schema-marked paths (zod `.meta`, valibot `metadata`), under `--secret` paths in every PATH syntax,
 * inside URL userinfo, interpolated from secret-named environment variables, and as values that fail
 * validation (zod messages and valibot's "received" text repeat them). Each secret is a marker plus
 * 14 random characters, so it cannot appear by accident. `print --show-secrets` must show every
 * secret of a valid config: the check is not vacuous.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPath } from '../../src/reader/path.js';
import { isSecretKey } from '../../src/reader/redaction/index.js';
import { ROOT } from '../examples/child.js';
import { type CliRun, runInProcess, startWatch } from './redaction-cli.js';

const RUNS = Number(process.env.REDACTION_RUNS ?? 100);
const MARKER = 'Zq7S3c';

let dir: string;
let envCounter = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'livecfg-redaction-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(
    join(dir, 'zod-schema.mjs'),
    [
      "import { z } from 'zod';",
      // A custom message that repeats the input, as users write them.
      'const echo = (issue) => "expected a number, got " + JSON.stringify(issue.input);',
      'export const Schema = z.looseObject({',
      '  marked: z.record(z.string(), z.string().meta({ secret: true })).optional(),',
      '  checked: z.record(z.string(), z.number({ error: echo })).optional(),',
      '});',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'valibot-schema.mjs'),
    [
      "import * as v from 'valibot';",
      // valibot's default message says `received "<the input>"`.
      'export default v.looseObject({',
      '  marked: v.optional(v.record(v.string(), v.pipe(v.string(), v.metadata({ secret: true })))),',
      '  checked: v.optional(v.record(v.string(), v.number())),',
      '});',
      '',
    ].join('\n'),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---- generators ---------------------------------------------------------------------------------

const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
const secretValue = fc
  .array(fc.constantFrom(...ALNUM), { minLength: 14, maxLength: 14 })
  .map((chars) => `${MARKER}${chars.join('')}`);

/** Plain keys: none is secret-looking (checked below), some need quoting in a dotted PATH. */
const PLAIN_KEYS = ['alpha', 'bravo', 'host', 'port', 'region', 'mode', 'label.with.dots', 'x y', 'note'];
const GROUPS = ['server', 'app', 'feature.flags', 'misc'];
const PLAIN_VALUES = ['hello', 'eu-west-1', 'blue', 'on', 'localhost'];

const LONG_WORDS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'credentials',
  'apikey',
  'privatekey',
];
const SHORT_WORDS = ['pwd', 'dsn', 'key', 'keys'];
const PREFIXES = ['', 'db', 'client', 'aws', 'signing'];
const SEPARATORS = ['_', '-', ' ', '.', '0'];

const randomCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(''));

/** A credential word with random casing, separators inside long words, and a prefix word. */
const secretKey = fc
  .record({
    word: fc.constantFrom(...LONG_WORDS, ...SHORT_WORDS),
    prefix: fc.constantFrom(...PREFIXES),
    joiner: fc.constantFrom('', ...SEPARATORS),
    cuts: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SEPARATORS)), { maxLength: 2 }),
  })
  .chain(({ word, prefix, joiner, cuts }) => {
    let spelled = word;
    if (LONG_WORDS.includes(word)) {
      for (const [at, separator] of cuts) {
        const index = 1 + (at % (spelled.length - 1));
        spelled = `${spelled.slice(0, index)}${separator}${spelled.slice(index)}`;
      }
    }
    return randomCase(`${prefix}${prefix ? joiner : ''}${spelled}`);
  });

const SECRET_ENV_NAMES = [
  'DB_PASSWORD',
  'API_TOKEN',
  'CLIENT_SECRET',
  'PG_PWD',
  'SSH_PASSPHRASE',
  'SENTRY_DSN',
  'SIGNING_KEY',
];

/** One generated leaf. `secret` is the text that must never be printed (undefined: a plain value). */
type Leaf =
  | { kind: 'plain'; key: string; value: string }
  | { kind: 'secretKey'; key: string; secret: string }
  | { kind: 'url'; key: string; secret: string; embedded: boolean }
  | { kind: 'interpolated'; key: string; secret: string; envName: string; embedded: boolean }
  | { kind: 'marked'; key: string; secret: string }
  | { kind: 'listed'; key: string; secret: string; syntax: 'dotted' | 'quoted' | 'array' };

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  fc.record({
    kind: fc.constant('plain' as const),
    key: fc.constantFrom(...PLAIN_KEYS),
    value: fc.constantFrom(...PLAIN_VALUES),
  }),
  fc.record({ kind: fc.constant('secretKey' as const), key: secretKey, secret: secretValue }),
  fc.record({
    kind: fc.constant('url' as const),
    key: fc.constantFrom(...PLAIN_KEYS),
    secret: secretValue,
    embedded: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('interpolated' as const),
    key: fc.constantFrom(...PLAIN_KEYS),
    secret: secretValue,
    envName: fc.constantFrom(...SECRET_ENV_NAMES),
    embedded: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('marked' as const),
    key: fc.constantFrom(...PLAIN_KEYS),
    secret: secretValue,
  }),
  fc.record({
    kind: fc.constant('listed' as const),
    key: fc.constantFrom(...PLAIN_KEYS),
    secret: secretValue,
    syntax: fc.constantFrom('dotted' as const, 'quoted' as const, 'array' as const),
  }),
);

/** Where a leaf goes: a group, `marked` (schema), `listed` (--secret) or `checked` (fails validation). */
interface Placed {
  path: string[];
  leaf: Leaf;
}

interface Scenario {
  schema: 'none' | 'zod' | 'valibot';
  leaves: Placed[];
  /** Leaves placed under `checked`: with a schema, each fails validation. */
  failing: Leaf[];
  /** The edit `watch` sees: the same layout with fresh secrets, maybe failing. */
  edit: { leaves: Placed[]; failing: Leaf[] };
}

const placed = (leaves: Leaf[], groups: string[]): Placed[] => {
  const seen = new Set<string>();
  const result: Placed[] = [];
  leaves.forEach((item, index) => {
    const group =
      item.kind === 'marked' ? 'marked' : item.kind === 'listed' ? 'listed' : (groups[index] ?? 'misc');
    const path = [group, item.key];
    const id = JSON.stringify(path);
    if (seen.has(id)) return;
    seen.add(id);
    result.push({ path, leaf: item });
  });
  return result;
};

const layout = fc.record({
  leaves: fc.array(leaf, { minLength: 1, maxLength: 7 }),
  groups: fc.array(fc.constantFrom(...GROUPS), { minLength: 7, maxLength: 7 }),
  failing: fc.array(
    leaf.filter((item) => item.kind !== 'plain' && item.kind !== 'marked' && item.kind !== 'listed'),
    {
      maxLength: 2,
    },
  ),
});

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    schema: fc.constantFrom('none' as const, 'zod' as const, 'valibot' as const),
    first: layout,
    second: layout,
  })
  .map(({ schema, first, second }) => {
    // `marked` needs a schema; without one, such leaves are listed with --secret instead.
    const adapt = (items: Leaf[]): Leaf[] =>
      schema === 'none'
        ? items.map((item) =>
            item.kind === 'marked' ? { ...item, kind: 'listed' as const, syntax: 'quoted' as const } : item,
          )
        : items;
    return {
      schema,
      leaves: placed(adapt(first.leaves), first.groups),
      failing: schema === 'none' ? [] : first.failing,
      edit: {
        leaves: placed(adapt(second.leaves), second.groups),
        failing: schema === 'none' ? [] : second.failing,
      },
    };
  });

// ---- building the files and the command lines ---------------------------------------------------

/** The raw document value of a leaf, and the environment it needs. */
function raw(item: Leaf, env: Map<string, string>): string {
  switch (item.kind) {
    case 'plain':
      return item.value;
    case 'url': {
      const url = `postgres://app:${item.secret}@db.internal:5432/app`;
      return item.embedded ? `primary ${url} (read-write)` : url;
    }
    case 'interpolated': {
      const name = `LCFGT_${item.envName}_${++envCounter}`;
      env.set(name, item.secret);
      return item.embedded ? `before-\${${name}}-after` : `\${${name}}`;
    }
    default:
      return item.secret;
  }
}

function documentOf(
  leaves: Placed[],
  failing: Leaf[],
  env: Map<string, string>,
  revision: number,
): Record<string, unknown> {
  // A plain revision leaf, so that an edit always changes the tree.
  const doc: Record<string, Record<string, unknown>> = { rev: { n: revision } };
  for (const { path, leaf: item } of leaves) {
    const [group, key] = path as [string, string];
    doc[group] ??= {};
    doc[group][key] = raw(item, env);
  }
  failing.forEach((item, index) => {
    doc.checked ??= {};
    doc.checked[`${item.key}${index}`] = raw(item, env);
  });
  return doc;
}

function secretPathArgs(leaves: Placed[]): string[] {
  const args: string[] = [];
  for (const { path, leaf: item } of leaves) {
    if (item.kind !== 'listed') continue;
    const dottedOk = !/[.\s"]/.test(item.key);
    const text =
      item.syntax === 'array'
        ? JSON.stringify(path)
        : item.syntax === 'dotted' && dottedOk
          ? path.join('.')
          : formatPath(path);
    args.push('--secret', text);
  }
  return args;
}

const secretsOf = (leaves: Placed[], failing: Leaf[]): string[] =>
  [...leaves.map((item) => item.leaf), ...failing].flatMap((item) => ('secret' in item ? [item.secret] : []));

function leak(runs: CliRun[], secrets: string[]): string | undefined {
  for (const run of runs) {
    for (const secret of secrets) {
      const where = run.stdout.includes(secret)
        ? 'stdout'
        : run.stderr.includes(secret)
          ? 'stderr'
          : undefined;
      if (where)
        return `${secret} leaked on ${where} of livecfg ${run.args.join(' ')}\n${run.stdout}\n${run.stderr}`;
    }
  }
  return undefined;
}

// ---- the property -------------------------------------------------------------------------------

describe('redaction property: no secret in any CLI output', () => {
  it('the plain keys and groups of the generator are not secret-looking', () => {
    for (const key of [...PLAIN_KEYS, ...GROUPS, 'marked', 'listed', 'checked'])
      expect(isSecretKey(key)).toBe(false);
  });

  it('print, get, explain, validate and watch -o json never show a generated secret', async () => {
    let valid = 0;
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        const env = new Map<string, string>();
        const file = join(dir, `config-${++envCounter}.json`);
        const doc = documentOf(sc.leaves, sc.failing, env, 1);
        writeFileSync(file, JSON.stringify(doc, null, 2));
        const editEnv = new Map<string, string>();
        const edited = JSON.stringify(documentOf(sc.edit.leaves, sc.edit.failing, editEnv, 2), null, 2);
        for (const [name, value] of [...env, ...editEnv]) process.env[name] = value;
        try {
          const schemaArgs =
            sc.schema === 'zod'
              ? ['--schema', './zod-schema.mjs#Schema']
              : sc.schema === 'valibot'
                ? ['--schema', './valibot-schema.mjs']
                : [];
          const common = ['-f', file, ...schemaArgs, ...secretPathArgs([...sc.leaves, ...sc.edit.leaves])];
          const secrets = secretsOf(sc.leaves, sc.failing);
          const isValid = sc.failing.length === 0;
          if (isValid) valid++;
          else invalid++;

          const runs: CliRun[] = [];
          const run = async (args: string[]) => {
            const result = await runInProcess([...args, ...common], dir);
            runs.push(result);
            return result;
          };
          const printed = await run(['print']);
          expect(printed.code, printed.stderr).toBe(isValid ? 0 : 1);
          await run(['print', '-o', 'yaml']);
          const validated = await run(['validate']);
          expect(validated.code).toBe(isValid ? 0 : 1);
          for (const [index, { path }] of sc.leaves.entries()) {
            await run(['get', JSON.stringify(path)]);
            await run(['get', JSON.stringify(path.slice(0, 1)), '-o', 'yaml']);
            await run(['explain', JSON.stringify(path), ...(index % 2 === 0 ? [] : ['-o', 'json'])]);
          }

          // Not vacuous: revealed, every secret of a valid config is there.
          if (isValid) {
            const revealed = await runInProcess(['print', '--show-secrets', ...common], dir);
            for (const secret of secrets) expect(revealed.stdout).toContain(secret);
          }

          // watch -o json: edit the file (fresh secrets; maybe now failing) and wait for the event.
          const watch = startWatch(['watch', '-o', 'json', ...common], dir);
          if (isValid) {
            await watch.until(
              (out) => out.stderr.includes('watching'),
              () => {},
            );
            const editValid = sc.edit.failing.length === 0;
            writeFileSync(file, edited);
            await watch.until(
              (out) => (editValid ? out.stdout.includes('\n') : /\n.*\n/.test(out.stderr)),
              () => writeFileSync(file, edited),
            );
          }
          const watched = await watch.stop();
          runs.push(watched);
          if (isValid && sc.edit.failing.length === 0) {
            for (const line of watched.stdout.trim().split('\n').filter(Boolean)) JSON.parse(line);
          }

          const problem = leak(runs, [...secrets, ...secretsOf(sc.edit.leaves, sc.edit.failing)]);
          expect(problem).toBeUndefined();
        } finally {
          for (const name of [...env.keys(), ...editEnv.keys()]) delete process.env[name];
        }
      }),
      { numRuns: RUNS },
    );
    // Both branches of the property ran.
    expect(valid).toBeGreaterThan(0);
    expect(invalid).toBeGreaterThan(0);
  }, 300_000);
});
