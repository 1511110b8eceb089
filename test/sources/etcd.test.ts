import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { filter, firstValueFrom, type Observable, ReplaySubject, timeout } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EtcdOptions, etcd } from '../../src/etcd.js';
import { ConfigError } from '../../src/reader/errors.js';
import type { ChangeSet } from '../../src/source-kit/source.js';
import type { EtcdSource } from '../../src/sources/etcd/etcd.js';
import { EtcdGateway } from '../../src/sources/etcd/gateway.js';
import { type EtcdServer, enableAuth, freePorts, startEtcd } from '../helpers/etcd-server.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';

let server: EtcdServer;
let admin: EtcdGateway;
const open: EtcdSource[] = [];
let counter = 0;

beforeAll(async () => {
  server = await startEtcd();
  admin = new EtcdGateway({ hosts: [server.endpoint] });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((source) => source.close()));
});

afterAll(async () => {
  admin?.close();
  await server?.close();
});

/** A fresh prefix per test, so tests never see each other's keys. */
function uniquePrefix(): string {
  counter += 1;
  return `/livecfg-test/${counter}/`;
}

function source(options: EtcdOptions): EtcdSource {
  const created = etcd({ hosts: server.endpoint, ...options } as EtcdOptions);
  open.push(created);
  return created;
}

/** Records every emission; `until` waits (with a timeout) for the first one matching. */
function record<T>(observable: Observable<T>) {
  const seen = new ReplaySubject<T>();
  const values: T[] = [];
  const subscription = observable.subscribe({
    next: (value) => {
      values.push(value);
      seen.next(value);
    },
    error: (error: unknown) => seen.error(error),
  });
  return {
    values,
    until: (predicate: (value: T) => boolean, ms = 5000) =>
      firstValueFrom(seen.pipe(filter(predicate), timeout(ms))),
    stop: () => subscription.unsubscribe(),
  };
}

/** Listens to a source's onError and waits for the first error matching. */
function errorsOf(target: EtcdSource) {
  const errors = new ReplaySubject<ConfigError>();
  target.onError((error) => errors.next(error));
  return (predicate: (error: ConfigError) => boolean = () => true, ms = 10_000) =>
    firstValueFrom(errors.pipe(filter(predicate), timeout(ms)));
}

const at = (change: ChangeSet, ...path: string[]) =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], change.data);

describe('etcd source: initial read', () => {
  it('maps keys below a prefix to paths, JSON-parsing values that parse', async () => {
    const prefix = uniquePrefix();
    await admin.put(`${prefix}server/port`, '8080');
    await admin.put(`${prefix}server/host`, 'localhost');
    await admin.put(`${prefix}flags/beta`, 'true');
    await admin.put(`${prefix.slice(0, -1)}x/other`, '1'); // a sibling prefix, not below ours
    const src = source({ prefix: prefix.slice(0, -1) });
    const change = await src.read();
    expect(src.name).toBe(`etcd:${prefix.slice(0, -1)}`);
    expect(change.data).toEqual({ server: { port: 8080, host: 'localhost' }, flags: { beta: true } });
    const origin = change.origins?.lookup(['server', 'port']) as { etcdKey: string; modRevision: string };
    expect(origin.etcdKey).toBe(`${prefix}server/port`);
    expect(Number(origin.modRevision)).toBeGreaterThan(0);
  });

  it('reads a missing prefix as an empty layer', async () => {
    const change = await source({ prefix: uniquePrefix() }).read();
    expect(change.data).toEqual({});
  });

  it('reads one key holding a YAML document, with etcd origins and lines', async () => {
    const key = `${uniquePrefix()}app.yaml`;
    await admin.put(key, 'server:\n  port: 9000\ngreeting: hi\n');
    const change = await source({ key }).read();
    expect(change.data).toEqual({ server: { port: 9000 }, greeting: 'hi' });
    const origin = change.origins?.lookup(['server', 'port']) as Record<string, unknown>;
    expect(origin).toMatchObject({ etcdKey: key, line: 2 });
    expect(typeof origin.modRevision).toBe('string');
  });

  it('reads JSON by default and TOML when asked', async () => {
    const prefix = uniquePrefix();
    await admin.put(`${prefix}json`, '{"a":{"b":1}}');
    await admin.put(`${prefix}toml`, '[a]\nb = 2\n');
    expect((await source({ key: `${prefix}json` }).read()).data).toEqual({ a: { b: 1 } });
    expect((await source({ key: `${prefix}toml`, format: 'toml' }).read()).data).toEqual({ a: { b: 2 } });
  });

  it('fails with NOT_FOUND for a missing key, unless optional', async () => {
    const key = `${uniquePrefix()}missing.json`;
    await expect(source({ key }).read()).rejects.toMatchObject({ code: 'NOT_FOUND', source: `etcd:${key}` });
    expect((await source({ key, optional: true }).read()).data).toEqual({});
  });

  it('fails with PARSE for a bad document, naming the key', async () => {
    const key = `${uniquePrefix()}bad.json`;
    await admin.put(key, '{"a":');
    const error = await source({ key })
      .read()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'PARSE' });
    expect((error as Error).message).toContain(key);
  });

  it('rejects bad options, aborted reads, reads after close and unreachable servers', async () => {
    expect(() => etcd({} as EtcdOptions)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const src = source({ prefix: uniquePrefix() });
    await expect(src.read(AbortSignal.abort())).rejects.toBeInstanceOf(ConfigError);
    await src.close();
    await expect(src.read()).rejects.toMatchObject({ code: 'CLOSED' });
    const [port] = await freePorts(1);
    const down = source({ prefix: '/x/', hosts: `http://127.0.0.1:${port}`, dialTimeout: 2000 });
    await expect(down.read()).rejects.toMatchObject({ code: expect.stringMatching(/SOURCE_READ|TIMEOUT/) });
  });
});

describe('etcd source: watch', () => {
  it('emits puts and deletes, and nothing for an unchanged rewrite', async () => {
    const prefix = uniquePrefix();
    await admin.put(`${prefix}server/port`, '8080');
    const src = source({ prefix });
    await src.read();
    const changes = record(src.watch());
    await admin.put(`${prefix}server/port`, '9090');
    const put = await changes.until((c) => at(c, 'server', 'port') === 9090);
    expect(put.source).toBe(`etcd:${prefix}`);
    await admin.put(`${prefix}server/port`, '9090'); // same content: deduped
    await admin.put(`${prefix}name`, 'svc');
    await changes.until((c) => at(c, 'name') === 'svc');
    await admin.deleteRange(`${prefix}server/port`);
    const deleted = await changes.until((c) => at(c, 'server') === undefined);
    expect(deleted.data).toEqual({ name: 'svc' });
    expect(changes.values).toHaveLength(3);
    changes.stop();
  });

  it('does not lose a change made between the read and the watch', async () => {
    const prefix = uniquePrefix();
    await admin.put(`${prefix}v`, '1');
    const src = source({ prefix });
    expect((await src.read()).data).toEqual({ v: 1 });
    await admin.put(`${prefix}v`, '2');
    const changes = record(src.watch());
    expect((await changes.until((c) => at(c, 'v') === 2)).data).toEqual({ v: 2 });
    changes.stop();
  });

  it('in key mode re-parses the document and reports a bad one without emitting it', async () => {
    const key = `${uniquePrefix()}app.json`;
    await admin.put(key, '{"v":1}');
    const src = source({ key });
    const nextError = errorsOf(src);
    await src.read();
    const changes = record(src.watch());
    await admin.put(key, '{"v":');
    expect(await nextError((e) => e.code === 'PARSE')).toBeInstanceOf(ConfigError);
    await admin.put(key, '{"v":3}');
    await changes.until((c) => at(c, 'v') === 3);
    expect(changes.values.map((c) => c.data)).toEqual([{ v: 3 }]);
    changes.stop();
  });

  it('without a prior read, reads and emits the current state first', async () => {
    const prefix = uniquePrefix();
    await admin.put(`${prefix}v`, '1');
    const changes = record(source({ prefix }).watch());
    await changes.until((c) => at(c, 'v') === 1);
    await admin.put(`${prefix}v`, '2');
    await changes.until((c) => at(c, 'v') === 2);
    changes.stop();
  });

  it('reports a deleted required key as NOT_FOUND and emits it again when it returns', async () => {
    const key = `${uniquePrefix()}app.json`;
    await admin.put(key, '{"v":1}');
    const src = source({ key });
    const nextError = errorsOf(src);
    await src.read();
    const changes = record(src.watch());
    await admin.deleteRange(key);
    expect((await nextError((e) => e.code === 'NOT_FOUND')).message).toContain(key);
    await admin.put(key, '{"v":2}');
    await changes.until((c) => at(c, 'v') === 2);
    expect(changes.values).toHaveLength(1);
    changes.stop();
  });

  it('recovers from compaction of the revision the watch starts from', async () => {
    const prefix = uniquePrefix();
    await admin.put(`${prefix}v`, '0');
    const src = source({ prefix });
    await src.read();
    for (let i = 1; i <= 3; i++) await admin.put(`${prefix}v`, String(i));
    const latest = await admin.range(`${prefix}v`);
    await admin.compact(latest.revision, { physical: true });
    const changes = record(src.watch());
    await changes.until((c) => at(c, 'v') === 3);
    await admin.put(`${prefix}v`, '4'); // and the watch continues after the fresh read
    await changes.until((c) => at(c, 'v') === 4);
    changes.stop();
  });
});

describe('etcd source: failures', () => {
  it('reports a stopped server through onError and catches up after a restart', async () => {
    const prefix = uniquePrefix();
    await admin.put(`${prefix}v`, '"before"');
    const src = source({ prefix });
    const nextError = errorsOf(src);
    await src.read();
    const changes = record(src.watch());
    await admin.put(`${prefix}v`, '"watching"');
    await changes.until((c) => at(c, 'v') === 'watching');

    await server.stop();
    const error = await nextError();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('SOURCE_READ');
    await server.restart();

    const writer = new EtcdGateway({ hosts: [server.endpoint] });
    try {
      await writer.put(`${prefix}v`, '"after restart"');
    } finally {
      writer.close();
    }
    await changes.until((c) => at(c, 'v') === 'after restart', 15_000);
    changes.stop();
  }, 40_000);

  it('turns rejected credentials into a PERMISSION error', async () => {
    const secured = await startEtcd();
    try {
      await enableAuth(secured.endpoint, 'right-password');
      const wrong = etcd({
        prefix: '/app/',
        hosts: secured.endpoint,
        auth: { username: 'root', password: 'wrong' },
      });
      open.push(wrong);
      const error = await wrong.read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ code: 'PERMISSION', source: 'etcd:/app/' });
      expect((error as Error).message).toMatch(/auth/);
      const anonymous = etcd({ prefix: '/app/', hosts: secured.endpoint });
      open.push(anonymous);
      await expect(anonymous.read()).rejects.toMatchObject({ code: 'PERMISSION' });
      const right = etcd({
        prefix: '/app/',
        hosts: secured.endpoint,
        auth: { username: 'root', password: 'right-password' },
      });
      open.push(right);
      expect((await right.read()).data).toEqual({});
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await secured.close();
    }
  }, 30_000);

  it('close() ends the watch stream and the client, so a process can exit', async () => {
    const { code, signal, stderr } = await runChild('etcd-close-child.ts', 'closed');
    expect(withoutNodeWarnings(stderr)).toBe('');
    expect(signal).toBeNull(); // it exited by itself, before the killer's deadline
    expect(code).toBe(0);
  }, 20_000);

  it('an open watch does not keep the process alive, even without close()', async () => {
    const { code, signal, stderr } = await runChild('etcd-alive-child.ts', 'watching');
    expect(withoutNodeWarnings(stderr)).toBe('');
    expect(signal).toBeNull(); // it exited by itself, before the killer's deadline
    expect(code).toBe(0);
  }, 20_000);
});

/**
 * Runs a fixture script against the test server; resolves with its exit code and signal (SIGKILL when
 * it was still alive after 15 s) and its stderr (rejects when it exits without printing `marker`).
 * How long it lingers is a timing: bench/, not here.
 */
async function runChild(
  fixture: string,
  marker: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', child, server.endpoint, uniquePrefix()], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let marked = false;
  proc.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes(marker)) marked = true;
  });
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    proc.once('exit', (code, signal) => resolve([code, signal])),
  );
  const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  const [code, signal] = await exited;
  clearTimeout(killer);
  // A child that exits before printing the marker did not finish its script: fail, do not wait.
  if (!marked) throw new Error(`the child exited (${code}) without printing "${marker}": ${stderr}`);
  return { code, signal, stderr };
}
