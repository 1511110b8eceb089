/** The redaction rules (src/reader/redaction): one test per bypass of issue 11 item 10, and the basics. */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatPath, parsePath, parsePathText } from '../../src/reader/path.js';
import type { Origin } from '../../src/reader/provenance.js';
import {
  createRedactor,
  HIDDEN_MESSAGE,
  isSecretKey,
  mask,
  maskSecretText,
  maskUrlPassword,
  REDACTED,
  secretPathsOfSchema,
  urlPasswords,
} from '../../src/reader/redaction/index.js';

describe('isSecretKey', () => {
  it.each([
    'password',
    'dbPassword',
    'DB_PASSWORD',
    'passwd',
    'secret',
    'clientSecret',
    'client_secret',
    'secrets',
    'token',
    'accessToken',
    'refresh-token',
    'key',
    'apiKey',
    'API_KEY',
    'apikey',
    'privateKey',
    'sshKeys',
    'keyPrefix',
    // issue 11 item 10: casing
    'passWord',
    'PassWord',
    'dbPassWord',
    'pass_word',
    'secRet',
    'accessToKen',
    'PASS-WORD',
    'x.pass word',
    // issue 11 item 10: missing words
    'pwd',
    'DB_PWD',
    'dbPwd',
    'passphrase',
    'sshPassPhrase',
    'credentials',
    'credential',
    'awsCredentials',
    'dsn',
    'PG_DSN',
    'dsnPrimary',
    'privateKey',
    'private_key',
    'PRIVATEKEY',
  ])('%s is secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['port', 'host', 'keyboard', 'user', 'greeting', 'passage', 'fieldsNames', 'windsor', 'pass'])(
    '%s is not secret',
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );

  it('over-redacts words that end in key (the safe side)', () => {
    expect(isSecretKey('turkey_count')).toBe(true);
    expect(isSecretKey('monkeyBusiness')).toBe(true);
  });
});

describe('createRedactor', () => {
  const tree = {
    server: { host: 'h', port: 1 },
    db: { user: 'bob', password: 'hunter2', apiKey: null },
    tokens: ['a', 'b'],
    tenants: { acme: { dsn: 'postgres://a', name: 'Acme' }, beta: { dsn: 'postgres://b', name: 'Beta' } },
    tenantUrls: { acme: 'https://acme', beta: 'https://beta' },
    vault: { nested: { deep: 'x', list: [1, 2] } },
  };

  it('masks keys named like credentials, keeps null, keeps the shape', () => {
    const redacted = createRedactor().redactTree(tree) as typeof tree;
    expect(redacted.db).toEqual({ user: 'bob', password: REDACTED, apiKey: null });
    expect(redacted.tokens).toEqual([REDACTED, REDACTED]);
    expect(redacted.server).toBe(tree.server); // untouched subtrees are not copied
    expect(redacted.tenants.acme.dsn).toBe(REDACTED); // dsn is a credential word now
  });

  it('masks marked paths, with * for any key, and whole branches', () => {
    const redactor = createRedactor({ paths: ['tenants.*.name', 'vault', ['server', 'host']] });
    const redacted = redactor.redactTree(tree) as typeof tree;
    expect(redacted.tenants).toEqual({
      acme: { dsn: REDACTED, name: REDACTED },
      beta: { dsn: REDACTED, name: REDACTED },
    });
    expect(redacted.vault).toEqual({ nested: { deep: REDACTED, list: [REDACTED, REDACTED] } });
    expect(redacted.server).toEqual({ host: REDACTED, port: 1 });
    expect(redactor.isSecretPath(['vault', 'nested'])).toBe(true);
    expect(redactor.isSecretPath(['tenants', 'acme', 'name'])).toBe(true);
    expect(redactor.isSecretPath(['tenantUrls', 'acme'])).toBe(false);
  });

  it('redacts a subtree by where it was found', () => {
    const redactor = createRedactor({ paths: ['tenantUrls.*'] });
    expect(redactor.redactTree('https://acme', ['tenantUrls', 'acme'])).toBe(REDACTED);
    expect(redactor.redactTree({ dsn: 'x', name: 'y' }, ['tenants', 'acme'])).toEqual({
      dsn: REDACTED,
      name: 'y',
    });
    expect(redactor.redactTree('hunter2', ['db', 'password'])).toBe(REDACTED);
  });

  it('reveals everything with reveal, and can ignore key names', () => {
    expect(createRedactor({ reveal: true }).redactTree(tree)).toBe(tree);
    expect(createRedactor({ reveal: true }).isSecretPath(['db', 'password'])).toBe(false);
    const byPathOnly = createRedactor({ byKeyName: false, paths: ['db.user'] }).redactTree(
      tree,
    ) as typeof tree;
    expect(byPathOnly.db).toEqual({ user: REDACTED, password: 'hunter2', apiKey: null });
  });

  it('mask keeps arrays and objects shaped', () => {
    expect(mask({ a: [1, { b: true }], c: null })).toEqual({ a: [REDACTED, { b: REDACTED }], c: null });
  });
});

describe('schemaSecretPaths', () => {
  it('finds zod .meta({ secret: true }) through wrappers, records, arrays and unions', () => {
    const Schema = z.object({
      db: z.object({
        url: z.string().meta({ secret: true }),
        password: z.string().optional().meta({ secret: true }),
        replica: z.string().meta({ secret: true }).optional(),
        port: z.number().default(5432),
      }),
      tenants: z
        .record(z.string(), z.object({ dsn: z.string().meta({ secret: true }).default('') }))
        .default({}),
      hooks: z.array(z.object({ signingSecret: z.string(), url: z.url().meta({ secret: true }) })),
      vault: z.object({ a: z.string() }).meta({ secret: true }).prefault({ a: 'x' }),
      either: z.union([z.string(), z.object({ cert: z.string().meta({ secret: true }) })]),
      plain: z.string().meta({ description: 'not secret' }),
    });
    expect(dotted(secretPathsOfSchema(Schema))).toEqual(
      ['db.password', 'db.replica', 'db.url', 'either.cert', 'hooks.*.url', 'tenants.*.dsn', 'vault'].sort(),
    );
  });

  it('finds valibot metadata({ secret: true })', () => {
    const Schema = v.object({
      db: v.object({
        dsn: v.pipe(v.string(), v.metadata({ secret: true })),
        pool: v.optional(v.pipe(v.number(), v.metadata({ secret: false }))),
        replica: v.optional(v.pipe(v.string(), v.metadata({ secret: true }))),
      }),
      list: v.array(v.object({ cert: v.pipe(v.string(), v.metadata({ secret: true })) })),
    });
    expect(dotted(secretPathsOfSchema(Schema))).toEqual(['db.dsn', 'db.replica', 'list.*.cert']);
  });

  it('is empty for schemas it does not understand', () => {
    expect(secretPathsOfSchema({ '~standard': { validate: () => ({ value: {} }) } })).toEqual([]);
  });

  it('keeps keys with dots whole', () => {
    const Schema = z.object({ labels: z.object({ 'a.b': z.string().meta({ secret: true }) }) });
    expect(secretPathsOfSchema(Schema)).toEqual([['labels', 'a.b']]);
    expect(createRedactor({ schema: Schema }).redactTree({ labels: { 'a.b': 'x', a: { b: 'y' } } })).toEqual({
      labels: { 'a.b': REDACTED, a: { b: 'y' } },
    });
  });
});

describe('--secret PATH syntax (issue 11 item 10)', () => {
  const tree = {
    labels: { 'app.kubernetes.io/name': 'web', app: 'other' },
    '*': { x: 'star' },
    star: { x: 'wild' },
  };

  it('honours JSON-quoted keys and JSON arrays, like get PATH', () => {
    const quoted = createRedactor({ paths: ['labels."app.kubernetes.io/name"'] });
    expect(quoted.redactTree(tree)).toMatchObject({
      labels: { 'app.kubernetes.io/name': REDACTED, app: 'other' },
    });
    const array = createRedactor({ paths: ['["labels","app.kubernetes.io/name"]'] });
    expect(array.redactTree(tree)).toMatchObject({
      labels: { 'app.kubernetes.io/name': REDACTED, app: 'other' },
    });
    // Without quotes the dots split the key: the label is not matched (and nothing else is).
    const unquoted = createRedactor({ paths: ['labels.app.kubernetes.io/name'] });
    expect(unquoted.redactTree(tree)).toBe(tree);
  });

  it('reads * as any key, and a quoted "*" as the key *', () => {
    expect(createRedactor({ paths: ['*.x'] }).redactTree(tree)).toMatchObject({
      '*': { x: REDACTED },
      star: { x: REDACTED },
    });
    expect(createRedactor({ paths: ['"*".x'] }).redactTree(tree)).toMatchObject({
      '*': { x: REDACTED },
      star: { x: 'wild' },
    });
  });

  it('rejects a path it cannot read', () => {
    expect(() => createRedactor({ paths: ['a."b'] })).toThrow('unterminated quote');
    expect(() => parsePathText('[1')).toThrow('not a JSON array');
  });
});

describe('URL userinfo (issue 11 item 10)', () => {
  it('masks the password of any URL, also inside longer strings', () => {
    expect(maskUrlPassword('postgres://app:pw@db/app')).toBe(`postgres://app:${REDACTED}@db/app`);
    expect(maskUrlPassword('primary=redis://:s3cr3t@cache:6379/0 replica=amqp://u:p%40ss@mq')).toBe(
      `primary=redis://:${REDACTED}@cache:6379/0 replica=amqp://u:${REDACTED}@mq`,
    );
    expect(maskUrlPassword('mongodb+srv://u:p@ss/w:rd@h/db')).toBe(`mongodb+srv://u:${REDACTED}@h/db`);
    expect(maskUrlPassword('{"a":"https://u:pw@h","b":"x@y"}')).toBe(
      `{"a":"https://u:${REDACTED}@h","b":"x@y"}`,
    );
    expect(maskUrlPassword('https://user@host/a:b@c')).toBe('https://user@host/a:b@c'); // no password
    expect(maskUrlPassword('https://host:8080/x')).toBe('https://host:8080/x');
  });

  it('masks URL passwords in every string of a tree, under any key', () => {
    const tree = { database: { url: 'postgres://app:pw@db/app' }, list: ['x https://a:b@c y'] };
    expect(createRedactor().redactTree(tree)).toEqual({
      database: { url: `postgres://app:${REDACTED}@db/app` },
      list: [`x https://a:${REDACTED}@c y`],
    });
  });

  it('finds URL passwords as secrets, decoded too', () => {
    expect(urlPasswords('a https://u:p%40ss@h and ftp://x:y@z')).toEqual(['p%40ss', 'p@ss', 'y']);
    expect(createRedactor().secretsIn({ url: 'postgres://app:pw@db' })).toEqual(['pw']);
  });
});

describe('interpolated and resolved values (issue 11 item 10)', () => {
  const origins: Record<string, Origin> = {
    'db.url': { file: 'app.yaml', line: 2, vars: ['DB_PASSWORD'] },
    greeting: { file: 'app.yaml', line: 3, vars: ['USER'] },
    'api.handle': { file: 'app.yaml', line: 4, resolvedBy: 'age' },
    fromEnv: { env: 'APP_SECRET_VALUE' },
  };
  const redactor = createRedactor({ originOf: (path) => origins[path.join('.')] });
  const tree = { db: { url: 'hunter22' }, greeting: 'hi bob', api: { handle: 'plain' }, fromEnv: 'v' };

  it('masks a value interpolated from a secret-named variable, or resolved, or from a secret env var', () => {
    expect(redactor.redactTree(tree)).toEqual({
      db: { url: REDACTED },
      greeting: 'hi bob',
      api: { handle: REDACTED },
      fromEnv: REDACTED,
    });
    expect(redactor.isSecretOrigin({ file: 'a', vars: ['HOME', 'PG_PWD'] })).toBe(true);
    expect(redactor.isSecretOrigin({ file: 'a', vars: ['HOME'] })).toBe(false);
  });

  it('masks everything below a resolved branch, also when asked for a leaf of it', () => {
    const resolved = createRedactor({
      originOf: (path) => (path[0] === 'vault' ? { vault: 'app', resolvedBy: 'vault' } : undefined),
    });
    expect(resolved.isSecretPath(['vault', 'db', 'user'])).toBe(true);
    expect(resolved.redactTree('bob', ['vault', 'db', 'user'])).toBe(REDACTED);
    expect(resolved.secretsIn({ user: 'bob-the-user' }, ['vault', 'db'])).toEqual(['bob-the-user']);
    expect(resolved.redactTree({ vault: { db: { user: 'bob' } }, other: 'x' })).toEqual({
      vault: { db: { user: REDACTED } },
      other: 'x',
    });
  });

  it('judges a value by the origin given with it (an overridden value in explain)', () => {
    const plain = createRedactor();
    expect(plain.redactTree('x', ['greeting'], { file: 'a', vars: ['API_TOKEN'] })).toBe(REDACTED);
    expect(plain.redactTree('x', ['greeting'], { file: 'a', vars: ['HOME'] })).toBe('x');
    expect(plain.secretsIn('tok-123', ['greeting'], { file: 'a', vars: ['API_TOKEN'] })).toEqual(['tok-123']);
  });
});

describe('secret texts in messages and other values (issue 11 item 10)', () => {
  it('masks known secret values wherever they appear, JSON-escaped too', () => {
    const known = ['hunter22', 'q"uote'];
    const redactor = createRedactor({ secretValues: () => known });
    expect(redactor.redactText('Invalid: received "hunter22" and "q\\"uote"')).toBe(
      `Invalid: received "${REDACTED}" and "${REDACTED}"`,
    );
    expect(redactor.redactTree({ greeting: 'hello hunter22', n: 1 })).toEqual({
      greeting: `hello ${REDACTED}`,
      n: 1,
    });
  });

  it('masks a zod custom message and valibot\'s "received" text that repeat the input', async () => {
    const zodSchema = z.object({
      pin: z.string().refine(() => false, { error: (issue) => `bad pin ${String(issue.input)}` }),
    });
    const zodIssue = zodSchema.safeParse({ pin: 'pin-8812345' }).error?.issues[0];
    expect(zodIssue?.message).toBe('bad pin pin-8812345');
    const valibotIssue = v.safeParse(v.object({ token: v.number() }), { token: 'tok-7654321' }).issues?.[0];
    expect(valibotIssue?.message).toContain('"tok-7654321"');

    const redactor = createRedactor();
    for (const [issue, path, value] of [
      [zodIssue, ['pin'], 'pin-8812345'],
      [valibotIssue, ['token'], 'tok-7654321'],
    ] as const) {
      const secrets = redactor.secretsIn(value, path, { file: 'a', vars: ['PIN_SECRET'] });
      const text = redactor.redactText(issue?.message ?? '', secrets);
      expect(text).not.toContain(value);
      expect(text).toContain(REDACTED);
    }
  });

  it('hides a message that repeats a secret too short to mask, unless it is just a known value', () => {
    expect(createRedactor().redactText('got a', ['a'])).toBe(HIDDEN_MESSAGE);
    expect(maskSecretText('got a', ['a'])).toBe('got a');
    expect(maskSecretText('xyzxyz', ['xyz', 'xyzxyz'])).toBe(REDACTED);
  });

  it('reveal turns everything off', () => {
    const redactor = createRedactor({ reveal: true, secretValues: () => ['hunter22'] });
    expect(redactor.redactText('hunter22 postgres://a:b@c')).toBe('hunter22 postgres://a:b@c');
    expect(redactor.isSecretOrigin({ resolvedBy: 'age' })).toBe(false);
  });
});

describe('paths', () => {
  it('round-trips dotted paths with quoted keys', () => {
    const keys = ['labels', 'app.kubernetes.io/name', 'x y', 'plain'];
    expect(formatPath(keys)).toBe('labels."app.kubernetes.io/name"."x y".plain');
    expect(parsePath(formatPath(keys))).toEqual(keys);
    expect(parsePath('')).toEqual([]);
    expect(parsePath('a.b')).toEqual(['a', 'b']);
    expect(parsePathText('["a.b","c"]')).toEqual(['a.b', 'c']);
  });
});

function dotted(paths: string[][]): string[] {
  return paths.map((path) => path.join('.')).sort();
}
