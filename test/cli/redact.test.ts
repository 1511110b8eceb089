import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCliArgs, UsageError } from '../../src/cli/args.js';
import { formatDottedPath, parseDottedPath } from '../../src/cli/paths.js';
import { createRedactor, isSecretKey, mask, REDACTED } from '../../src/cli/redact.js';
import { schemaSecretPaths } from '../../src/cli/schema-secrets.js';

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
  ])('%s is secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['port', 'host', 'keyboard', 'user', 'greeting', 'turkey_count', 'monkeyBusiness', 'passage'])(
    '%s is not secret',
    (key) => {
      expect(isSecretKey(key)).toBe(key === 'turkey_count' || key === 'monkeyBusiness');
    },
  );
});

describe('createRedactor', () => {
  const tree = {
    server: { host: 'h', port: 1 },
    db: { user: 'bob', password: 'hunter2', apiKey: null },
    tokens: ['a', 'b'],
    tenants: { acme: { dsn: 'postgres://a', name: 'Acme' }, beta: { dsn: 'postgres://b', name: 'Beta' } },
    vault: { nested: { deep: 'x', list: [1, 2] } },
  };

  it('masks keys named like credentials, keeps null, keeps the shape', () => {
    const redacted = createRedactor().redact(tree) as typeof tree;
    expect(redacted.db).toEqual({ user: 'bob', password: REDACTED, apiKey: null });
    expect(redacted.tokens).toEqual([REDACTED, REDACTED]);
    expect(redacted.server).toBe(tree.server); // untouched subtrees are not copied
    expect(redacted.tenants.acme.dsn).toBe('postgres://a');
  });

  it('masks marked paths, with * for any key, and whole branches', () => {
    const redactor = createRedactor({ paths: ['tenants.*.dsn', 'vault', ['server', 'host']] });
    const redacted = redactor.redact(tree) as typeof tree;
    expect(redacted.tenants).toEqual({
      acme: { dsn: REDACTED, name: 'Acme' },
      beta: { dsn: REDACTED, name: 'Beta' },
    });
    expect(redacted.vault).toEqual({ nested: { deep: REDACTED, list: [REDACTED, REDACTED] } });
    expect(redacted.server).toEqual({ host: REDACTED, port: 1 });
    expect(redactor.isSecret(['vault', 'nested'])).toBe(true);
    expect(redactor.isSecret(['tenants', 'acme', 'name'])).toBe(false);
  });

  it('redacts a subtree by where it was found', () => {
    const redactor = createRedactor({ paths: ['tenants.*.dsn'] });
    expect(redactor.redact('postgres://a', ['tenants', 'acme', 'dsn'])).toBe(REDACTED);
    expect(redactor.redact({ dsn: 'x', name: 'y' }, ['tenants', 'acme'])).toEqual({
      dsn: REDACTED,
      name: 'y',
    });
    expect(redactor.redact('hunter2', ['db', 'password'])).toBe(REDACTED);
  });

  it('reveals everything with reveal, and can ignore key names', () => {
    expect(createRedactor({ reveal: true }).redact(tree)).toBe(tree);
    expect(createRedactor({ reveal: true }).isSecret(['db', 'password'])).toBe(false);
    const byPathOnly = createRedactor({ byKeyName: false, paths: ['db.user'] }).redact(tree) as typeof tree;
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
    expect(schemaSecretPaths(Schema).sort()).toEqual(
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
    expect(schemaSecretPaths(Schema).sort()).toEqual(['db.dsn', 'db.replica', 'list.*.cert']);
  });

  it('is empty for schemas it does not understand', () => {
    expect(schemaSecretPaths({ '~standard': { validate: () => ({ value: {} }) } })).toEqual([]);
  });
});

describe('paths', () => {
  it('round-trips dotted paths with quoted keys', () => {
    const keys = ['labels', 'app.kubernetes.io/name', 'x y', 'plain'];
    expect(formatDottedPath(keys)).toBe('labels."app.kubernetes.io/name"."x y".plain');
    expect(parseDottedPath(formatDottedPath(keys))).toEqual(keys);
    expect(parseDottedPath('')).toEqual([]);
    expect(parseDottedPath('a.b')).toEqual(['a', 'b']);
  });
});

describe('parseCliArgs', () => {
  it('keeps source options in command-line order', () => {
    const args = parseCliArgs([
      'print',
      '-f',
      'a.yaml',
      '--env',
      'APP_',
      '--file=b.yaml',
      '--consul',
      'cfg/',
      '-o',
      'yaml',
    ]);
    expect(args).toMatchObject({
      kind: 'run',
      command: 'print',
      output: 'yaml',
      sources: [
        { kind: 'file', path: 'a.yaml' },
        { kind: 'env', prefix: 'APP_' },
        { kind: 'file', path: 'b.yaml' },
        { kind: 'consul', prefix: 'cfg/' },
      ],
    });
  });

  it('parses PATH as dotted keys or a JSON array', () => {
    expect(parseCliArgs(['get', 'server.port', '-f', 'x'])).toMatchObject({ path: ['server', 'port'] });
    expect(parseCliArgs(['get', '["labels","a.b"]', '-f', 'x'])).toMatchObject({ path: ['labels', 'a.b'] });
    expect(parseCliArgs(['watch', '-f', 'x'])).toMatchObject({ path: undefined });
  });

  it.each([
    [[], 'missing command'],
    [['frobnicate'], 'unknown command'],
    [['get', '-f', 'x'], 'needs a PATH'],
    [['print', 'extra', '-f', 'x'], 'unexpected argument'],
    [['print', '-o', 'xml', '-f', 'x'], '--output must be one of'],
    [['print', '--nope'], "Unknown option '--nope'"],
  ])('%j is a usage error (%s)', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
