/**
 * `env({ files })` (issue 25 item 3): `.env` files read as environment variables under the real
 * environment, mapped by the same rules, watched live, explained to the line. Real files, real watches.
 */
import { rm, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, file, loadConfig } from '../../../src/index.js';
import { rejectionOf, useTempDirs } from '../../helpers/temp-dir.js';
import { nextError, watchFor } from '../../helpers/watch.js';

const tempDir = useTempDirs();
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((config) => config.close()));
});

/** Keeps the config to close it after the test. */
function track<C extends { close(): Promise<void> }>(config: C): C {
  open.push(config);
  return config;
}

describe('env({ files }): precedence and mapping', () => {
  it('the real environment wins over .env.local, which wins over .env; explain names file:line or the variable', async () => {
    const dir = await tempDir();
    const base = await dir.write(
      '.env',
      '# defaults\nAPP_A=from-env-file\nAPP_B=from-env-file\nAPP_C=from-env-file\n',
    );
    const local = await dir.write('.env.local', 'APP_B=from-local\n\nAPP_C=from-local\n');
    const config = track(
      await loadConfig({
        sources: [env({ prefix: 'APP_', files: [base, local], environ: () => ({ APP_C: 'from-process' }) })],
        watch: false,
      }),
    );
    expect(config.value).toEqual({ a: 'from-env-file', b: 'from-local', c: 'from-process' });
    expect(config.explain('a')).toMatchObject({
      source: 'env:APP_',
      origin: { file: base, line: 2, column: 1, env: 'APP_A' },
      description: `${base}:2:1 (APP_A)`,
    });
    expect(config.explain('b').description).toBe(`${local}:1:1 (APP_B)`);
    expect(config.explain('c')).toMatchObject({ origin: { env: 'APP_C' }, description: 'env APP_C' });
  });

  it('maps file variables with the same prefix and separator rules; other variables are left out', async () => {
    const dir = await tempDir();
    const path = await dir.write(
      '.env',
      'APP_SERVER__PORT=8080\nexport APP_SERVER__HOST="0.0.0.0"\nAPP_NAME=svc # a comment\nOTHER=x\nAPPLE=no\nSVC_DEBUG=true\n',
    );
    const byPrefix = track(
      await loadConfig({
        sources: [env({ prefix: ['APP_', 'SVC_'], files: [path], environ: () => ({}) })],
        watch: false,
      }),
    );
    expect(byPrefix.value).toEqual({ server: { port: '8080', host: '0.0.0.0' }, name: 'svc', debug: 'true' });
    const dotted = await dir.write('dotted.env', 'APP_A_X=1\nAPP_B.C=2\n');
    const bySeparator = track(
      await loadConfig({
        sources: [env({ prefix: 'APP_', separator: '.', files: [dotted], environ: () => ({}) })],
        watch: false,
      }),
    );
    expect(bySeparator.value).toEqual({ a_x: '1', b: { c: '2' } });
  });

  it('schema-guided: DATABASE_PORT in .env becomes database.port, coerced to a number', async () => {
    const dir = await tempDir();
    const path = await dir.write(
      '.env',
      'DATABASE_HOST=db.internal\nDATABASE_PORT=5432\nLIMITS_MAX_CONNECTIONS=20\n',
    );
    const Schema = z.object({
      database: z.object({ host: z.string(), port: z.number().int() }),
      limits: z.object({ maxConnections: z.number() }),
    });
    const config = track(
      await loadConfig({
        schema: Schema,
        sources: [env({ files: [path], environ: () => ({}) })],
        watch: false,
      }),
    );
    expect(config.value).toEqual({
      database: { host: 'db.internal', port: 5432 },
      limits: { maxConnections: 20 },
    });
    expect(config.explain('database.port').description).toBe(`${path}:2:1 (DATABASE_PORT)`);
  });

  it('a variable in a file clashing with one in the environment (leaf vs branch) is a CONFLICT naming both', async () => {
    const dir = await tempDir();
    const path = await dir.write('.env', 'APP_BROKER__ADDRESS=y\n');
    const error = await rejectionOf(
      loadConfig({
        sources: [env({ prefix: 'APP_', files: [path], environ: () => ({ APP_BROKER: 'x' }) })],
        watch: false,
      }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('APP_BROKER');
    expect(error.message).toContain('APP_BROKER__ADDRESS');
  });

  it('names like __proto__ and constructor in a file pollute nothing', async () => {
    const dir = await tempDir();
    const path = await dir.write(
      '.env',
      '__proto__=1\nconstructor__prototype__x=3\nAPP___PROTO____polluted=yes\n',
    );
    const config = track(
      await loadConfig({ sources: [env({ files: [path], environ: () => ({}) })], watch: false }),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(config.value)).toBe(Object.prototype);
  });

  it('file() of a .env file stays as it was: raw keys, __ nests', async () => {
    const dir = await tempDir();
    const path = await dir.write('.env', 'DATABASE_PORT=5432\nSERVER__PORT=1\n');
    const config = track(await loadConfig({ sources: [file(path)], watch: false }));
    expect(config.value).toEqual({ DATABASE_PORT: '5432', SERVER: { PORT: '1' } });
  });
});

describe('env({ files }): missing and broken files', () => {
  it('a missing file is fine by default; { optional: false } makes it NOT_FOUND naming the file', async () => {
    const dir = await tempDir();
    const config = track(
      await loadConfig({
        sources: [env({ prefix: 'APP_', files: [dir.path('.env')], environ: () => ({ APP_A: '1' }) })],
        watch: false,
      }),
    );
    expect(config.value).toEqual({ a: '1' });
    const error = await rejectionOf(
      loadConfig({
        sources: [
          env({ prefix: 'APP_', files: [{ path: dir.path('.env'), optional: false }], environ: () => ({}) }),
        ],
        watch: false,
      }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(dir.path('.env'));
  });

  it('a line that is not NAME=value fails the load with PARSE naming file and line, without quoting the line', async () => {
    const dir = await tempDir();
    const path = await dir.write(
      '.env',
      'APP_A=1\n  # an indented comment is fine\nAPP_DB hunter2-Zq9w\nAPP_B=2\n',
    );
    const error = await rejectionOf(
      loadConfig({ sources: [env({ prefix: 'APP_', files: [path], environ: () => ({}) })], watch: false }),
    );
    expect(error.code).toBe('PARSE');
    expect(error.message).toContain(`${path}:3:1`);
    expect(error).toMatchObject({ file: path, line: 3, column: 1, source: 'env:APP_' });
    expect(error.message).not.toContain('hunter2-Zq9w');
  });

  it('quoted multi-line values, export, inline comments and a BOM read as dotenv reads them', async () => {
    const dir = await tempDir();
    const path = await dir.write(
      '.env',
      '\uFEFFAPP_KEY="line one\nline two"\nexport APP_B=2 # note\nAPP_C=\'single # kept\'\nAPP_EMPTY=\nAPP_B=3\n',
    );
    const config = track(
      await loadConfig({
        sources: [env({ prefix: 'APP_', files: [path], environ: () => ({}) })],
        watch: false,
      }),
    );
    expect(config.value).toEqual({ key: 'line one\nline two', b: '3', c: 'single # kept', empty: '' });
    // A name set twice: the later line wins, and explain says so.
    expect(config.explain('b').description).toBe(`${path}:6:1 (APP_B)`);
    expect(config.explain('c').description).toBe(`${path}:4:1 (APP_C)`);
  });
});

describe('env({ files }): secrets follow the usual redaction', () => {
  it('secret key names, secret variable names (in a file as in the environment) and messages', async () => {
    const dir = await tempDir();
    const pw = 'hunter2-Zq9w-secret';
    const path = await dir.write('.env', `APP_DB__PASSWORD=${pw}\nAPP_DB__HOST=db\n`);
    const Schema = z.object({ db: z.object({ host: z.string(), password: z.string().min(40) }) });
    const error = await rejectionOf(
      loadConfig({
        schema: Schema,
        sources: [env({ prefix: 'APP_', files: [path], environ: () => ({}) })],
        watch: false,
      }),
    );
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain(`${path}:1:1: db.password`);
    expect(error.message).not.toContain(pw);

    // TOKEN_VALUE maps to `value`, a harmless key: the variable's name makes it secret, from a file too.
    const tokens = await dir.write('tokens.env', 'TOKEN_VALUE=tok-9f8e7d\n');
    const config = track(
      await loadConfig({
        sources: [env({ prefix: 'TOKEN_', files: [tokens], environ: () => ({ TOKEN_OTHER: 'tok-1a2b3c' }) })],
        watch: false,
      }),
    );
    expect(config.value).toEqual({ value: 'tok-9f8e7d', other: 'tok-1a2b3c' });
    expect(config.isSecret('value')).toBe(true);
    expect(config.isSecret('other')).toBe(true);
    expect(config.redact(config.value)).toEqual({ value: '[redacted]', other: '[redacted]' });
    expect(config.redactText('got tok-9f8e7d')).not.toContain('tok-9f8e7d');
  });
});

describe('env({ files }): live', () => {
  it('an edit of .env applies; the real environment still wins; explain follows the line', async () => {
    const dir = await tempDir();
    const path = await dir.write('.env', 'APP_PORT=1\nAPP_HOST=a\n');
    const config = track(
      await loadConfig({
        sources: [env({ prefix: 'APP_', files: [path], environ: () => ({ APP_HOST: 'process' }) })],
      }),
    );
    expect(config.value).toEqual({ port: '1', host: 'process' });
    await writeFile(path, '# moved down\nAPP_PORT=2\nAPP_HOST=b\n');
    await watchFor(config, 'port', '2');
    expect(config.get('host')).toBe('process');
    expect(config.explain('port').description).toBe(`${path}:2:1 (APP_PORT)`);
  });

  it('a file created later is picked up, and overrides the earlier file', async () => {
    const dir = await tempDir();
    const base = await dir.write('.env', 'APP_MODE=base\n');
    const local = dir.path('.env.local');
    const config = track(
      await loadConfig({ sources: [env({ prefix: 'APP_', files: [base, local], environ: () => ({}) })] }),
    );
    expect(config.get('mode')).toBe('base');
    await writeFile(local, 'APP_MODE=local\n');
    await watchFor(config, 'mode', 'local');
    expect(config.explain('mode').description).toBe(`${local}:1:1 (APP_MODE)`);
  });

  it('a deleted file drops its values (the earlier file shows again)', async () => {
    const dir = await tempDir();
    const base = await dir.write('.env', 'APP_MODE=base\n');
    const local = await dir.write('.env.local', 'APP_MODE=local\nAPP_EXTRA=1\n');
    const config = track(
      await loadConfig({ sources: [env({ prefix: 'APP_', files: [base, local], environ: () => ({}) })] }),
    );
    expect(config.value).toEqual({ mode: 'local', extra: '1' });
    await rm(local);
    await watchFor(config, '', { mode: 'base' });
  });

  it('a broken edit keeps the last good config and reports PARSE naming file and line on errors$', async () => {
    const dir = await tempDir();
    const path = await dir.write('.env', 'APP_PORT=1\n');
    const config = track(
      await loadConfig({ sources: [env({ prefix: 'APP_', files: [path], environ: () => ({}) })] }),
    );
    const error = nextError(config, (item) => item.code === 'PARSE');
    await writeFile(path, 'APP_PORT=2\nnot a variable\n');
    const reported = await error;
    expect(reported.message).toContain(`${path}:2:1`);
    expect(reported).toMatchObject({ file: path, line: 2, source: 'env:APP_' });
    expect(config.get('port')).toBe('1');
    expect(config.sources()[0]).toMatchObject({ name: 'env:APP_', status: 'error' });
    // Fixed: applies again.
    await writeFile(path, 'APP_PORT=3\n');
    await watchFor(config, 'port', '3');
  });

  it('a required file that is deleted reports NOT_FOUND and keeps its values', async () => {
    const dir = await tempDir();
    const path = await dir.write('.env', 'APP_PORT=1\n');
    const config = track(
      await loadConfig({
        sources: [env({ prefix: 'APP_', files: [{ path, optional: false }], environ: () => ({}) })],
      }),
    );
    const error = nextError(config, (item) => item.code === 'NOT_FOUND');
    await rm(path);
    expect((await error).message).toContain(path);
    expect(config.get('port')).toBe('1');
  });

  it('watch() as an Observable emits the layer again after an edit; env() without files has no watch', async () => {
    const dir = await tempDir();
    const path = await dir.write('.env', 'APP_PORT=1\n');
    const source = env({ prefix: 'APP_', files: [path], environ: () => ({}) });
    expect(env({ prefix: 'APP_' }).watch).toBeUndefined();
    await source.read();
    const { firstValueFrom, filter, timeout } = await import('rxjs');
    const changed = firstValueFrom(
      (source.watch?.() ?? (undefined as never)).pipe(
        filter((changeSet) => JSON.stringify(changeSet.data) === '{"port":"2"}'),
        timeout(5_000),
      ),
    );
    // Written before or after the watch is ready, the edit arrives: the watch re-reads once when ready.
    await writeFile(path, 'APP_PORT=2\n');
    const changeSet = await changed;
    expect(changeSet.source).toBe('env:APP_');
  });
});
