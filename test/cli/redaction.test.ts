/**
 * Each redaction bypass of issue 11 item 10, through the CLI (in-process `runCli`, captured output):
 * casing, missing words, URL userinfo, `${DB_PASSWORD}`, validation messages, `--secret` PATH syntax.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../examples/child.js';
import { runInProcess } from '../hardening/redaction-cli.js';

let dir: string;
const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const cli = (args: string[]) => runInProcess(args, dir);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'livecfg-cli-redaction-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI redaction (issue 11 item 10)', () => {
  it('casing and missing words: every spelling is redacted', async () => {
    const keys = [
      'passWord',
      'PassWord',
      'dbPassWord',
      'pass_word',
      'secRet',
      'accessToKen',
      'pwd',
      'passphrase',
      'credentials',
      'dsn',
      'privateKey',
    ];
    const file = write(
      'casing.json',
      JSON.stringify({ s: Object.fromEntries(keys.map((key, i) => [key, `leak-${i}-value`])), port: 1 }),
    );
    const { code, stdout } = await cli(['print', '-f', file]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      s: Object.fromEntries(keys.map((key) => [key, '[redacted]'])),
      port: 1,
    });
  });

  it('URL userinfo: the password is masked in print, get, explain and messages', async () => {
    const file = write(
      'url.yaml',
      'db:\n  url: postgres://app:pw-leak-1@db/app\nnote: "see redis://:pw-leak-2@cache:6379 too"\n',
    );
    const printed = await cli(['print', '-f', file]);
    expect(JSON.parse(printed.stdout)).toEqual({
      db: { url: 'postgres://app:[redacted]@db/app' },
      note: 'see redis://:[redacted]@cache:6379 too',
    });
    const explained = await cli(['explain', 'db.url', '-f', file]);
    expect(explained.stdout).toContain('postgres://app:[redacted]@db/app');
    const schema = write(
      'url-schema.mjs',
      "import * as v from 'valibot';\nexport default v.object({ db: v.object({ url: v.number() }), note: v.string() });\n",
    );
    const validated = await cli(['validate', '-f', file, '--schema', schema]);
    expect(validated.code).toBe(1);
    expect(validated.stderr).toContain('received "postgres://app:[redacted]@db/app"');
    expect(`${printed.stdout}${explained.stdout}${validated.stderr}`).not.toMatch(/pw-leak/);
  });

  it('an interpolated $DB_PASSWORD value is secret, also where it is overridden', async () => {
    process.env.LCFG_REDACTION_DB_PASSWORD = 'interpolated-leak';
    try {
      const base = write(
        'interp.yaml',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the file's own ${NAME} references
        'conn: "user=app password=${LCFG_REDACTION_DB_PASSWORD}"\nhome: ${LCFG_REDACTION_HOME:-/root}\n',
      );
      const top = write('interp-top.yaml', 'conn: plain\n');
      const printed = await cli(['print', '-f', base]);
      expect(JSON.parse(printed.stdout)).toEqual({ conn: '[redacted]', home: '/root' });
      const explained = await cli(['explain', 'conn', '-f', base, '-f', top]);
      expect(explained.stdout).toMatch(/^conn = "plain"\n/);
      expect(explained.stdout).toMatch(/"\[redacted\]" from file:.*via \$\{LCFG_REDACTION_DB_PASSWORD\}/);
      expect(`${printed.stdout}${explained.stdout}`).not.toContain('interpolated-leak');
    } finally {
      delete process.env.LCFG_REDACTION_DB_PASSWORD;
    }
  });

  it('validation messages: zod custom messages and valibot "received" text do not repeat the secret', async () => {
    const file = write('invalid.yaml', 'db:\n  password: zod-leak-7\n  apiKey: valibot-leak-8\n');
    const zodSchema = write(
      'zod-schema.mjs',
      "import { z } from 'zod';\nexport default z.object({ db: z.object({ password: z.string().refine(() => false, { error: (i) => 'bad password ' + i.input }), apiKey: z.string() }) });\n",
    );
    const valibotSchema = write(
      'valibot-schema.mjs',
      "import * as v from 'valibot';\nexport default v.object({ db: v.object({ password: v.string(), apiKey: v.number() }) });\n",
    );
    const zod = await cli(['validate', '-f', file, '--schema', zodSchema]);
    expect(zod.code).toBe(1);
    expect(zod.stderr).toMatch(/db\.password: bad password \[redacted\], got "\[redacted\]"/);
    const valibot = await cli(['print', '-f', file, '--schema', valibotSchema]);
    expect(valibot.code).toBe(1);
    expect(valibot.stderr).toMatch(
      /db\.apiKey: Invalid type: Expected number but received "\[redacted\]", got "\[redacted\]"/,
    );
    expect(`${zod.stderr}${valibot.stderr}`).not.toMatch(/leak-/);
  });

  it('--secret honours the PATH syntax: quoted keys and JSON arrays', async () => {
    const file = write(
      'labels.json',
      JSON.stringify({ labels: { 'app.kubernetes.io/name': 'web', team: 'a' }, 'x.y': { z: 'q' } }),
    );
    const quoted = await cli([
      'print',
      '-f',
      file,
      '--secret',
      'labels."app.kubernetes.io/name"',
      '--secret',
      '["x.y","z"]',
    ]);
    expect(JSON.parse(quoted.stdout)).toEqual({
      labels: { 'app.kubernetes.io/name': '[redacted]', team: 'a' },
      'x.y': { z: '[redacted]' },
    });
    const bad = await cli(['print', '-f', file, '--secret', 'labels."unterminated']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unterminated quote');
  });
});
