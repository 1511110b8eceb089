/**
 * Sources that agree (issue 14, item 6; issue 11, item 11): env, flags and KV keys build their trees
 * with one builder. A key that is both a value and a branch is a CONFLICT naming both inputs in any
 * order; a `__proto__` segment is reported once as UNSAFE_KEY instead of being dropped silently.
 */
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, consul, env, flags, loadConfig, type Source } from '../../src/index.js';
import { type ConsulTestServer, startConsulServer } from '../consul-server/server.js';

async function conflictOf(source: Source): Promise<ConfigError> {
  const error = await loadConfig({ sources: [source], watch: false }).then(
    (config) => {
      void config.close();
      throw new Error('loaded without a CONFLICT');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

/** Loads the sources and collects the first `count` errors published. */
async function unsafeReports(sources: Source[], count: number): Promise<ConfigError[]> {
  const config = await loadConfig({ sources, watch: false });
  try {
    return await firstValueFrom(config.errors$.pipe(take(count), toArray(), timeout(5000)));
  } finally {
    await config.close();
  }
}

describe('a value and a branch at the same key', () => {
  it('flags: CONFLICT naming both flags, whatever their order (0.1.0: the later won silently)', async () => {
    for (const argv of [
      ['--db=x', '--db.host=h'],
      ['--db.host=h', '--db=x'],
    ]) {
      const error = await conflictOf(flags(argv));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain('--db ');
      expect(error.message).toContain('--db.host');
    }
  });

  it('env: CONFLICT naming both variables, whatever their order in the environment', async () => {
    for (const environ of [
      { APP_DB: 'x', APP_DB__HOST: 'h' },
      { APP_DB__HOST: 'h', APP_DB: 'x' },
    ]) {
      const error = await conflictOf(env({ prefix: 'APP_', environ: () => environ }));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain('APP_DB ');
      expect(error.message).toContain('APP_DB__HOST');
    }
  });

  it('repeated flags still become an array', async () => {
    const config = await loadConfig({ sources: [flags(['--tag=a', '--tag=b', '--tag=c'])], watch: false });
    expect(config.get('tag')).toEqual(['a', 'b', 'c']);
    await config.close();
  });
});

describe('KV keys', () => {
  let server: ConsulTestServer;
  beforeAll(async () => {
    server = await startConsulServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('Consul: a key that is also a folder of keys is CONFLICT naming both keys', async () => {
    server.put('clash/db', 'x');
    server.put('clash/db/host', 'h');
    const error = await conflictOf(
      consul({ prefix: 'clash/', host: '127.0.0.1', port: server.port, environ: () => ({}) }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('Consul key clash/db ');
    expect(error.message).toContain('Consul key clash/db/host');
  });

  it('Consul: a __proto__ segment is reported once as UNSAFE_KEY (0.1.0: dropped silently)', async () => {
    server.put('unsafe/a/__proto__/x', '1');
    server.put('unsafe/a/__proto__/y', '2');
    server.put('unsafe/ok', '1');
    const [report] = await unsafeReports(
      [consul({ prefix: 'unsafe/', host: '127.0.0.1', port: server.port, environ: () => ({}) })],
      1,
    );
    expect(report?.code).toBe('UNSAFE_KEY');
    expect(report?.path).toBe('a.__proto__');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('__proto__ from flags', () => {
  // (Env names cannot spell __proto__: underscores separate words and are never part of a key.)
  it('each location is reported once as UNSAFE_KEY, naming the source (0.1.0: dropped silently)', async () => {
    const reports = await unsafeReports(
      [
        flags(['--__proto__.x=1', '--__proto__.y=2', '--a.__proto__.z=1', '--ok=1']),
        env({ prefix: 'APP_', environ: () => ({ APP_OK: '1' }) }),
      ],
      2,
    );
    expect(reports.map((report) => [report.code, report.source, report.path])).toEqual([
      ['UNSAFE_KEY', 'flags', '__proto__'],
      ['UNSAFE_KEY', 'flags', 'a.__proto__'],
    ]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
