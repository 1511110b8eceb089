/** The `livecfg` CLI driven as a child process (`node --import tsx src/cli.ts …`), as users run it. */
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI, eventually, killAll, ROOT, runCli, startTs, tempDir } from '../examples/child.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';

let dir: ReturnType<typeof tempDir>;
const cwd = (): string => dir.path;
const write = (name: string, text: string): void => writeFileSync(join(dir.path, name), text);
const cli = (args: string[], env?: Record<string, string | undefined>) => runCli(args, { cwd: cwd(), env });

beforeAll(() => {
  dir = tempDir('livecfg-cli-');
  // Schema modules in the temp dir import zod/valibot like a project would.
  symlinkSync(join(ROOT, 'node_modules'), join(dir.path, 'node_modules'), 'dir');
  write(
    'base.yaml',
    [
      'server:',
      '  host: localhost',
      '  port: 8080',
      'db:',
      '  user: bob',
      '  password: hunter2',
      '  apiKey: k-123',
      'greeting: Hello',
      '',
    ].join('\n'),
  );
  write('override.json', '{\n  "server": {\n    "port": 9090\n  }\n}\n');
  write('bad.yaml', 'server:\n  port: 8080\n  host: [unclosed\n');
  write(
    'invalid.yaml',
    'server:\n  port: -1\n  host: localhost\ndb:\n  user: bob\n  password: short\n  dsn: pg://secret\n',
  );
  write(
    'schema.ts',
    [
      "import { z } from 'zod';",
      'export const Schema = z.object({',
      '  server: z.object({ host: z.string().default("0.0.0.0"), port: z.number().int().positive() }),',
      '  db: z.object({',
      '    user: z.string(),',
      '    password: z.string().min(6),',
      '    apiKey: z.string().optional(),',
      '    dsn: z.string().meta({ secret: true }).optional(),',
      '  }),',
      '  greeting: z.string().default("Hi"),',
      '  tenants: z.record(z.string(), z.object({ url: z.string(), name: z.string() })).default({}),',
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
      '  server: v.object({ port: v.number(), host: v.pipe(v.string(), v.metadata({ secret: true })) }),',
      '});',
      '',
    ].join('\n'),
  );
});

afterEach(killAll);
afterAll(() => dir.remove());

describe('print', () => {
  it('merges sources in command-line order and redacts secrets (JSON by default)', async () => {
    const { code, stdout, stderr } = await cli(['print', '-f', 'base.yaml', '-f', 'override.json']);
    expect(withoutNodeWarnings(stderr)).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      server: { host: 'localhost', port: 9090 },
      db: { user: 'bob', password: '[redacted]', apiKey: '[redacted]' },
      greeting: 'Hello',
    });
    expect(stdout).not.toContain('hunter2');
  });

  it('applies env where it stands among the files', async () => {
    const env = { APP_SERVER__PORT: '7070', APP_GREETING: 'Hey' };
    const envLast = await cli(['print', '-f', 'base.yaml', '-f', 'override.json', '--env', 'APP_'], env);
    expect(JSON.parse(envLast.stdout)).toMatchObject({ server: { port: '7070' }, greeting: 'Hey' });
    const envFirst = await cli(['print', '--env', 'APP_', '-f', 'base.yaml', '-f', 'override.json'], env);
    expect(JSON.parse(envFirst.stdout)).toMatchObject({ server: { port: 9090 }, greeting: 'Hello' });
  });

  it('prints one `path = value` line per leaf with --output text, secrets redacted', async () => {
    const { code, stdout } = await cli(['print', '-f', 'base.yaml', '-f', 'override.json', '-o', 'text']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'server.host = "localhost"',
        'server.port = 9090',
        'db.user = "bob"',
        'db.password = "[redacted]"',
        'db.apiKey = "[redacted]"',
        'greeting = "Hello"',
        '',
      ].join('\n'),
    );
    const branch = await cli(['get', 'server', '-f', 'base.yaml', '-o', 'text']);
    expect(branch.stdout).toBe('host = "localhost"\nport = 8080\n');
  });

  it('prints YAML with --output yaml and reveals secrets with --show-secrets', async () => {
    const { code, stdout } = await cli(['print', '-f', 'base.yaml', '--output', 'yaml', '--show-secrets']);
    expect(code).toBe(0);
    expect(parseYaml(stdout)).toMatchObject({ db: { password: 'hunter2', apiKey: 'k-123' } });
  });

  it('coerces with a TypeScript schema and redacts schema-marked, exported and --secret paths', async () => {
    write('tenants.yaml', 'db:\n  dsn: pg://x\ntenants:\n  acme:\n    url: https://acme\n    name: Acme\n');
    const { code, stdout, stderr } = await cli(
      [
        'print',
        '-f',
        'base.yaml',
        '-f',
        'tenants.yaml',
        '--env',
        'APP_',
        '--schema',
        './schema.ts#Schema',
        '--secret',
        'db.user',
      ],
      { APP_SERVER_PORT: '7000' },
    );
    expect(withoutNodeWarnings(stderr)).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      server: { host: 'localhost', port: 7000 },
      db: { user: '[redacted]', password: '[redacted]', apiKey: '[redacted]', dsn: '[redacted]' },
      greeting: 'Hello',
      tenants: { acme: { url: '[redacted]', name: 'Acme' } },
    });
  });

  it('reads valibot metadata({ secret: true }) from a default export', async () => {
    const { code, stdout } = await cli([
      'print',
      '-f',
      'base.yaml',
      '-s',
      './valibot-schema.mjs',
      '-o',
      'yaml',
    ]);
    expect(code).toBe(0);
    expect(parseYaml(stdout)).toEqual({ server: { host: '[redacted]', port: 8080 } });
  });
});

describe('get', () => {
  it('prints scalars plainly and branches as JSON', async () => {
    const port = await cli(['get', 'server.port', '-f', 'base.yaml', '-f', 'override.json']);
    expect(port).toMatchObject({ code: 0, stdout: '9090\n' });
    const greeting = await cli(['get', 'greeting', '-f', 'base.yaml']);
    expect(greeting.stdout).toBe('Hello\n');
    const asJson = await cli(['get', 'greeting', '-f', 'base.yaml', '-o', 'json']);
    expect(asJson.stdout).toBe('"Hello"\n');
    const db = await cli(['get', 'db', '-f', 'base.yaml']);
    expect(JSON.parse(db.stdout)).toEqual({ user: 'bob', password: '[redacted]', apiKey: '[redacted]' });
  });

  it('redacts a secret leaf asked for directly', async () => {
    const hidden = await cli(['get', 'db.password', '-f', 'base.yaml']);
    expect(hidden.stdout).toBe('[redacted]\n');
    const shown = await cli(['get', 'db.password', '-f', 'base.yaml', '--show-secrets']);
    expect(shown.stdout).toBe('hunter2\n');
  });

  it('exits 1 when the path is not set', async () => {
    const { code, stdout, stderr } = await cli(['get', 'server.nope', '-f', 'base.yaml']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('server.nope is not set');
  });
});

describe('explain', () => {
  it('names the winning source and origin and the values it overrode', async () => {
    const { code, stdout } = await cli(
      ['explain', 'server.port', '-f', 'base.yaml', '--env', 'APP_', '-f', 'override.json'],
      { APP_SERVER__PORT: '7070' },
    );
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('server.port = 9090');
    expect(lines[1]).toMatch(/^ {2}from file:override\.json \(override\.json:3:\d+\)$/);
    expect(stdout).toMatch(/"7070" from env:APP_ \(env APP_SERVER__PORT\)/);
    expect(stdout).toMatch(/8080 from file:base\.yaml \(base\.yaml:3:\d+\)/);
  });

  it('gives the structure with --output json, secrets redacted', async () => {
    const { code, stdout } = await cli(['explain', 'db.password', '-f', 'base.yaml', '-o', 'json']);
    expect(code).toBe(0);
    const explanation = JSON.parse(stdout);
    expect(explanation).toMatchObject({
      path: 'db.password',
      value: '[redacted]',
      source: 'file:base.yaml',
      origin: { file: 'base.yaml', line: 6 },
      overridden: [],
    });
    expect(stdout).not.toContain('hunter2');
  });

  it('exits 1 for a path no source sets', async () => {
    const { code, stderr } = await cli(['explain', 'nothing.here', '-f', 'base.yaml']);
    expect(code).toBe(1);
    expect(stderr).toContain('nothing.here is not set');
  });
});

describe('validate', () => {
  it('exits 0 for a valid configuration', async () => {
    const { code, stdout } = await cli(['validate', '-f', 'base.yaml', '--schema', './schema.ts#Schema']);
    expect(code).toBe(0);
    expect(stdout).toContain('valid');
  });

  it('exits 1 with file:line:column for every schema issue, secrets redacted', async () => {
    const { code, stdout, stderr } = await cli([
      'validate',
      '-f',
      'invalid.yaml',
      '--schema',
      './schema.ts#Schema',
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^invalid\.yaml:2:\d+: server\.port: .*got -1/m);
    expect(stderr).toMatch(/^invalid\.yaml:6:\d+: db\.password: .*got "\[redacted\]"/m);
    expect(stderr).not.toContain('short');
    expect(stderr).toContain('the configuration is invalid');
  });

  it('exits 1 with file:line:column for a parse error', async () => {
    const { code, stderr } = await cli(['validate', '-f', 'base.yaml', '-f', 'bad.yaml']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^bad\.yaml:\d+:\d+: /m);
  });

  it('exits 1 naming a missing file; other commands fail the same way', async () => {
    const validate = await cli(['validate', '-f', 'missing.yaml']);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain('missing.yaml');
    // The hint speaks of the command line, not of the library's `{ optional: true }`.
    expect(validate.stderr).toContain('check the path given to -f');
    expect(validate.stderr).not.toContain('optional');
    const print = await cli(['print', '-f', 'bad.yaml']);
    expect(print.code).toBe(1);
    expect(print.stderr).toMatch(/^bad\.yaml:\d+:\d+: /m);
  });
});

describe('usage', () => {
  it.each([
    [
      ['frobnicate', '-f', 'base.yaml'],
      'expected print, get, explain, validate, watch, serve, encrypt, put, fleet, schema)',
    ],
    [['get', '-f', 'base.yaml'], 'needs a PATH'],
    [['print', '--output', 'xml', '-f', 'base.yaml'], '--output must be one of'],
    [['print', '--bogus'], 'Unknown option'],
    [['print'], 'no sources'],
    [['print', '-f', 'base.yaml', '--schema', './schema.ts#Nope'], 'has no export "Nope"'],
    [['print', '-f', 'base.yaml', '--schema', './missing.mjs'], 'cannot load --schema'],
  ])('%j exits 2 (%s)', async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('livecfg --help');
  });

  it('prints help and the version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of [
      'print',
      'get PATH',
      'explain PATH',
      'validate',
      'watch [PATH]',
      'encrypt -r AGE_RECIPIENT',
      'serve',
      '--show-secrets',
      '--schema',
      '--output',
    ]) {
      expect(help.stdout).toContain(command);
    }
    const version = await cli(['--version']);
    const { version: expected } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(version).toMatchObject({ code: 0, stdout: `${expected}\n` });
  });
});

describe('watch', () => {
  it('prints each change with its paths and sources until SIGINT, then exits 0', async () => {
    write('live.yaml', 'greeting: Hello\ndb:\n  password: one\nother: 1\n');
    const child = startTs(CLI, ['watch', '-f', 'live.yaml'], { cwd: cwd() });
    await child.waitFor(/watching the configuration \(v1\)/, { stream: 'stderr' });

    const next = 'greeting: Hi\ndb:\n  password: two\nother: 1\n';
    write('live.yaml', next);
    const [block] = await eventually(async () => /^v2 .*\n(?: {2}.*\n)+/m.exec(child.stdout) ?? undefined, {
      nudge: () => write('live.yaml', next),
      what: 'the v2 change',
    });
    expect(block).toMatch(/^v2 \S+ 2 changes \(file:live\.yaml\)$/m);
    expect(block).toMatch(/^ {2}greeting: "Hello" → "Hi" {2}from file:live\.yaml \(live\.yaml:1:\d+\)$/m);
    expect(block).toMatch(/^ {2}db\.password: "\[redacted\]" → "\[redacted\]"/m);
    expect(child.stdout).not.toMatch(/one|two/);

    const exit = await child.stop('SIGINT');
    expect(exit).toMatchObject({ code: 0, signal: null });
  });

  it('watch PATH prints only changes under PATH, as JSON lines with --output json, and reports bad edits', async () => {
    write('scoped.yaml', 'server:\n  port: 1\nother: a\n');
    const child = startTs(CLI, ['watch', 'server', '-f', 'scoped.yaml', '-o', 'json'], { cwd: cwd() });
    await child.waitFor(/watching server = \{"port":1\} \(v1\)/, { stream: 'stderr' });

    // A change elsewhere (not printed), then a broken file (reported on stderr, not published), then a
    // change under PATH (printed).
    write('scoped.yaml', 'server:\n  port: 1\nother: b\n');
    const broken = 'server:\n  port: [\n';
    write('scoped.yaml', broken);
    await eventually(async () => /^scoped\.yaml:\d+:\d+: /m.exec(child.stderr) ?? undefined, {
      nudge: () => write('scoped.yaml', broken),
      what: 'the parse error',
    });
    const portChange = 'server:\n  port: 2\nother: b\n';
    write('scoped.yaml', portChange);
    const [line] = await eventually(async () => /^\{.*\}$/m.exec(child.stdout) ?? undefined, {
      nudge: () => write('scoped.yaml', portChange),
      what: 'a JSON change line',
    });
    const change = JSON.parse(line);
    expect(change).toMatchObject({
      trigger: 'file:scoped.yaml',
      changes: [
        {
          path: 'server.port',
          previous: 1,
          value: 2,
          source: 'file:scoped.yaml',
          origin: { file: 'scoped.yaml', line: 2 },
        },
      ],
    });
    expect(child.stdout.trim().split('\n')).toHaveLength(1); // the change to `other` was not printed
    expect(await child.stop('SIGTERM')).toMatchObject({ code: 0 });
  });
});
