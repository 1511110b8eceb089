/** `config.has(path)` and `config.getOrThrow(path)` (issue 25 item 2). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, file, formatPath, isConfigError, loadConfig, memory } from '../../src/index.js';
import { thrownBy, useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

const TREE = {
  server: { port: 8080, host: 'h' },
  servers: [{ host: 'a' }, { host: 'b' }],
  labels: { 'app.kubernetes.io/name': 'svc', '': 'empty key' },
  nothing: null,
  flag: false,
  zero: 0,
};

async function load(tree: Record<string, unknown> = TREE) {
  return loadConfig({ sources: [memory(tree)], watch: false });
}

describe('config.has(path)', () => {
  it('is true for leaves, branches, array items, null, false and 0; false for what is absent', async () => {
    const config = await load();
    for (const path of ['server', 'server.port', 'servers.1.host', 'nothing', 'flag', 'zero', '']) {
      expect(config.has(path), path).toBe(true);
    }
    for (const path of [
      'server.nope',
      'server.port.x',
      'servers.2',
      'servers.01',
      'servers.length',
      'nope',
    ]) {
      expect(config.has(path), path).toBe(false);
    }
    expect(config.has(['labels', 'app.kubernetes.io/name'])).toBe(true);
    expect(config.has('labels."app.kubernetes.io/name"')).toBe(true);
    expect(config.has(['servers', 0, 'host'])).toBe(true);
  });
});

describe('config.getOrThrow(path)', () => {
  it('returns what get() returns when there is a value (null, false and 0 are values)', async () => {
    const config = await load();
    for (const path of ['server', 'server.port', 'servers.1.host', 'nothing', 'flag', 'zero']) {
      expect(config.getOrThrow(path), path).toBe(config.get(path));
    }
    expect(config.getOrThrow(['servers', 0, 'host'])).toBe('a');
    // The value is the snapshot's own (frozen) object, as for get().
    expect(config.getOrThrow('server')).toBe(config.value.server);
    expect(Object.isFrozen(config.getOrThrow('server'))).toBe(true);
  });

  it('a key with a dot, given as a quoted path or as keys; the error path is written by formatPath', async () => {
    const config = await load();
    expect(config.getOrThrow('labels."app.kubernetes.io/name"')).toBe('svc');
    expect(config.getOrThrow(['labels', 'app.kubernetes.io/name'])).toBe('svc');
    expect(config.getOrThrow('labels.""')).toBe('empty key');
    const error = thrownBy(() => config.getOrThrow(['labels', 'app.kubernetes.io/version']));
    expect(error.path).toBe('labels."app.kubernetes.io/version"');
    expect(error.message.startsWith('labels."app.kubernetes.io/version": not found')).toBe(true);
    // The path in the error can be fed back.
    expect(config.has(error.path as string)).toBe(false);
    expect(config.has(formatPath(['labels', 'app.kubernetes.io/name']))).toBe(true);
  });

  it('a missing leaf: NOT_FOUND naming the path and the sources asked, in their order', async () => {
    const dir = await tempDir();
    const path = await dir.write('config.yaml', 'server:\n  port: 8080\n');
    const config = await loadConfig({
      sources: [file(path), env({ prefix: 'APP_', environ: () => ({ APP_NAME: 'x' }) })],
      watch: false,
    });
    const error = thrownBy(() => config.getOrThrow('server.host'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(isConfigError(error)).toBe(true);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.path).toBe('server.host');
    expect(error.message).toBe(`server.host: not found; sources asked: file:${path}, env:APP_`);
  });

  it('a path under a scalar, null or past the end of an array says what is in the way (its kind, not its value)', async () => {
    const config = await load();
    expect(thrownBy(() => config.getOrThrow('server.port.x')).message).toBe(
      'server.port.x: not found (server.port is a number); sources asked: memory',
    );
    expect(thrownBy(() => config.getOrThrow('server.host.x.y')).message).toBe(
      'server.host.x.y: not found (server.host is a string); sources asked: memory',
    );
    expect(thrownBy(() => config.getOrThrow('nothing.x')).message).toContain('(nothing is null)');
    expect(thrownBy(() => config.getOrThrow('servers.2.host')).message).toBe(
      'servers.2.host: not found (servers has 2 items); sources asked: memory',
    );
    expect(thrownBy(() => config.getOrThrow('servers.01')).message).toContain('(servers has 2 items)');
    expect(thrownBy(() => config.getOrThrow('nope.deeper')).message).toBe(
      'nope.deeper: not found; sources asked: memory',
    );
  });

  it('without sources the message says so', async () => {
    const config = await loadConfig({ watch: false });
    expect(thrownBy(() => config.getOrThrow('a')).message).toBe('a: not found; sources asked: none');
  });

  it('a schema default is a value; an optional key left out is not', async () => {
    const Schema = z.object({ port: z.number().default(8080), debug: z.boolean().optional() });
    const config = await loadConfig({ schema: Schema, sources: [memory({})], watch: false });
    expect(config.getOrThrow('port')).toBe(8080);
    expect(config.has('debug')).toBe(false);
    expect(thrownBy(() => config.getOrThrow('debug')).code).toBe('NOT_FOUND');
  });

  it('follows the live snapshot', async () => {
    const source = memory({ a: 1 });
    const config = await loadConfig({ sources: [source], watch: true });
    try {
      expect(thrownBy(() => config.getOrThrow('b')).code).toBe('NOT_FOUND');
      await config.set('b', 2);
      expect(config.getOrThrow('b')).toBe(2);
      await config.delete('b');
      expect(thrownBy(() => config.getOrThrow('b')).code).toBe('NOT_FOUND');
    } finally {
      await config.close();
    }
  });

  it('never shows a secret: values in the way by kind only, a password in a source name masked', async () => {
    const secret = 'hunter2-Zq9w';
    const urlPassword = 'pa55-Xk3v';
    const config = await loadConfig({
      sources: [
        memory({ db: { password: secret, url: `postgres://app:${urlPassword}@db/app` } }),
        memory({}, { name: `https://ops:${urlPassword}@cfg.example/app.json` }),
      ],
      watch: false,
    });
    const underSecret = thrownBy(() => config.getOrThrow('db.password.x'));
    expect(underSecret.message).toContain('(db.password is a string)');
    expect(underSecret.message).not.toContain(secret);
    const named = thrownBy(() => config.getOrThrow('missing'));
    expect(named.code).toBe('NOT_FOUND');
    expect(named.message).toContain('sources asked: memory, https://ops:');
    expect(named.message).not.toContain(urlPassword);
    expect(String(named.stack)).not.toContain(urlPassword);
  });

  it('an unreadable path is INVALID_ARGUMENT, as for get()', async () => {
    const config = await load();
    expect(thrownBy(() => config.getOrThrow('a."b')).code).toBe('INVALID_ARGUMENT');
    expect(thrownBy(() => config.get('a."b')).code).toBe('INVALID_ARGUMENT');
  });
});
