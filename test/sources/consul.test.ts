import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { firstValueFrom } from 'rxjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { parseConsulHttpAddr, resolveConsulAddress } from '../../src/sources/consul/address.js';
import { type ConsulSource, consul } from '../../src/sources/consul/consul.js';
import { nextIndex } from '../../src/sources/consul/watch.js';
import { type ConsulTestServer, type RequestRecord, startConsulServer } from '../consul-server/server.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { sharedCases } from './consul-shared.js';
import { type Recorder, realConsulTarget, record, serverTarget, sourceOn } from './consul-target.js';

const sources: ConsulSource[] = [];
const recorders: Recorder[] = [];
afterEach(async () => {
  for (const recorder of recorders.splice(0)) recorder.subscription.unsubscribe();
  await Promise.all(sources.splice(0).map((source) => source.close()));
});

function track<T extends ConsulSource>(source: T): T {
  sources.push(source);
  return source;
}

function watch(source: ConsulSource): Recorder {
  const recorder = record(source);
  recorders.push(recorder);
  return recorder;
}

/**
 * The `count` requests the server received after the first `from`, waiting on its `request` events
 * (never on a clock) until they have arrived.
 */
async function requestsAfter(
  server: ConsulTestServer,
  from: number,
  count: number,
): Promise<RequestRecord[]> {
  while (server.requestCount < from + count) await server.nextEvent('request', () => true, 10_000);
  return server.requests.slice(from, from + count);
}

/** The pauses between consecutive requests: from the end of one to the arrival of the next, in ms. */
function pauses(requests: readonly RequestRecord[]): number[] {
  return requests.slice(1).map((request, i) => request.startedAt - (requests[i]?.endedAt ?? Number.NaN));
}

/** The client closed the request before any answer was sent. */
function expectDropped(request: RequestRecord): void {
  expect(request.aborted).toBe(true);
  expect(request.status).toBeUndefined();
}

describe('consul source on the in-process server', () => {
  let server: ConsulTestServer;
  beforeEach(async () => {
    server = await startConsulServer();
  });
  afterEach(async () => {
    await server.close();
  });

  describe('shared cases', () => sharedCases(() => serverTarget(() => server), { track, watch }));

  const open = (options: Parameters<typeof sourceOn>[1]) =>
    track(
      sourceOn(
        serverTarget(() => server),
        options,
      ),
    );

  it('names the address when the server is down at startup', async () => {
    await server.down();
    const error = await open({ prefix: 'app/' })
      .read()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SOURCE_READ', source: 'consul:app/' });
    expect((error as Error).message).toContain(`cannot reach Consul at http://${server.address}`);
  });

  it('survives the server going down mid-watch and sees a write made while it was down', async () => {
    server.put('app/port', '1');
    const source = open({ prefix: 'app/' });
    await source.read();
    const recorder = watch(source);
    await server.nextEvent('park');
    await server.down();
    const first = await recorder.nextError();
    expect(first).toMatchObject({ code: 'SOURCE_READ', message: expect.stringContaining(server.address) });
    await recorder.nextError(); // it keeps retrying by itself
    server.put('app/port', '2');
    await server.up();
    expect((await recorder.next()).data).toEqual({ port: 2 });
    expect(recorder.completed).toBe(false);
  });

  it('resets its index when the index goes backwards, and loses no update', async () => {
    for (let i = 0; i < 5; i++) server.put(`app/k${i}`, String(i));
    const source = open({ prefix: 'app/' });
    await source.read();
    const recorder = watch(source);
    const parked = await server.nextEvent('park');
    expect(Number(parked.query.index)).toBe(server.index);
    const restarted = server.nextEvent('request', (request) => request.query.index === '0');
    server.resetIndex();
    await restarted;
    await server.nextEvent('park');
    server.put('app/k9', '9');
    expect((await recorder.next()).data).toMatchObject({ k0: 0, k9: 9 });
  });

  it('reports 403 as PERMISSION naming the key, on read and on watch, without a retry storm', async () => {
    server.setAcl({ defaultPolicy: 'deny', tokens: { app: { read: ['app/'] }, other: { read: ['x/'] } } });
    server.put('app/config.json', '{"a":1}');
    const denied = await open({ key: 'app/config.json', token: 'other' })
      .read()
      .catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: 'PERMISSION', source: 'consul:app/config.json' });
    expect((denied as Error).message).toMatch(/denied reading key "app\/config.json".*lacks key:read/);
    const unknown = await open({ prefix: 'app/', token: 'nope' })
      .read()
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'PERMISSION', message: expect.stringContaining('ACL not found') });

    const source = open({ key: 'app/config.json', token: 'app', backoff: { initialMs: 10, maxMs: 300 } });
    await source.read();
    const recorder = watch(source);
    await server.nextEvent('park');
    server.setAcl({ defaultPolicy: 'deny', tokens: { app: { read: [] } } }); // revoke
    server.put('app/config.json', '{"a":2}');
    expect((await recorder.next()).data).toEqual({ a: 2 }); // the parked request was authorized
    expect(await recorder.nextError()).toMatchObject({ code: 'PERMISSION' });
    // The denied request and the next two retries: each waits the full maxMs (300) first, not a storm.
    const denied403 = server.requestCount - 1;
    const retries = await requestsAfter(server, denied403, 3);
    expect(retries.map((request) => request.status)).toEqual([403, 403, 403]);
    for (const pause of pauses(retries)) expect(pause).toBeGreaterThanOrEqual(299);
  });

  it.each([500, 429, 503] as const)('backs off on HTTP %d and recovers by itself', async (status) => {
    server.put('app/a', '1');
    const source = open({ prefix: 'app/', backoff: { initialMs: 20, maxMs: 200 } });
    await source.read();
    server.failNext(10_000, status);
    const before = server.requestCount;
    const recorder = watch(source);
    expect(await recorder.nextError()).toMatchObject({ code: 'SOURCE_READ' });
    expect(recorder.errors[0]?.message).toContain(`HTTP ${status}`);
    // Six failing requests; before the k-th retry the source waits between half and all of
    // min(200, 20 * 2^k) ms: at least 10, 20, 40, 80, 100 ms. Without backoff the pauses would be ~0.
    const failing = await requestsAfter(server, before, 6);
    expect(failing.map((request) => request.status)).toEqual(Array(6).fill(status));
    const least = [10, 20, 40, 80, 100];
    for (const [k, pause] of pauses(failing).entries()) {
      expect(pause, `pause ${k}`).toBeGreaterThanOrEqual(least[k]! - 1);
    }
    server.failNext(0);
    server.put('app/a', '2');
    expect((await recorder.next()).data).toEqual({ a: 2 });
  });

  it('aborts the pending blocking request at once on unsubscribe and on close', async () => {
    const source = open({ prefix: 'app/', wait: '10m' });
    await source.read();
    const first = watch(source);
    // The request would park for 10 minutes: the server seeing it aborted, unanswered, is the proof.
    const parked = await server.nextEvent('park');
    const aborted = server.nextEvent('abort', (request) => request.id === parked.id, 10_000);
    first.subscription.unsubscribe();
    expectDropped(await aborted);

    const second = watch(source);
    const parkedAgain = await server.nextEvent('park');
    const abortedOnClose = server.nextEvent('abort', (request) => request.id === parkedAgain.id, 10_000);
    await source.close();
    expectDropped(await abortedOnClose);
    expect(second.completed).toBe(true);
    expect(server.pendingBlocking).toBe(0);
    await expect(source.read()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('honours an AbortSignal on read()', async () => {
    server.setLatency(5_000);
    const controller = new AbortController();
    const reading = open({ prefix: 'app/' }).read(controller.signal);
    await server.nextEvent('request');
    controller.abort();
    await expect(reading).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('reports a bad document on watch as PARSE and emits once it is fixed', async () => {
    server.put('app.yaml', 'a: 1\n');
    const source = open({ key: 'app.yaml' });
    await source.read();
    const recorder = watch(source);
    server.put('app.yaml', 'a: [1\n');
    expect(await recorder.nextError()).toMatchObject({ code: 'PARSE', source: 'consul:app.yaml' });
    server.put('app.yaml', 'a: 2\n');
    expect((await recorder.next()).data).toEqual({ a: 2 });
  });

  it('reports a deleted required key once as NOT_FOUND, and emits when it is back', async () => {
    server.put('app.json', '{"a":1}');
    const source = open({ key: 'app.json', wait: '100ms' });
    await source.read();
    const recorder = watch(source);
    server.delete('app.json');
    expect(await recorder.nextError()).toMatchObject({ code: 'NOT_FOUND', source: 'consul:app.json' });
    for (let i = 0; i < 2; i++) {
      // The missing key reports the KV table index, which writes elsewhere move: a new index each timeout.
      const timedOut = server.nextEvent('response', (request) => request.parked);
      server.put(`elsewhere/${i}`, 'x');
      await timedOut;
    }
    server.put('app.json', '{"a":2}');
    expect((await recorder.next()).data).toEqual({ a: 2 });
    expect(recorder.errors).toHaveLength(1);
  });

  it('takes the address and token from CONSUL_HTTP_ADDR and CONSUL_HTTP_TOKEN', async () => {
    server.setAcl({ defaultPolicy: 'deny', tokens: { secret: { read: ['app/'] } } });
    server.put('app/x', '1');
    const environ = () => ({ CONSUL_HTTP_ADDR: `http://${server.address}`, CONSUL_HTTP_TOKEN: 'secret' });
    const source = track(consul({ prefix: 'app/', environ }));
    expect((await source.read()).data).toEqual({ x: 1 });
    expect(server.requests.at(-1)?.query).not.toHaveProperty('token'); // sent as a header
  });

  it('works under loadConfig: explain() names the key, watch(path) follows PUTs, errors$ gets outages', async () => {
    server.put('svc/server/port', '8080');
    const source = open({ prefix: 'svc/' });
    const config = await loadConfig({ sources: [source] });
    try {
      expect(config.get('server.port')).toBe(8080);
      expect(config.explain('server.port').origin).toMatchObject({ consulKey: 'svc/server/port' });
      const ports: unknown[] = [];
      const subscription = config
        .watch('server.port', { emitCurrent: false })
        .subscribe((p) => ports.push(p));
      const changed = new Promise<void>((resolve) => {
        const check = config.changes$.subscribe(() => {
          check.unsubscribe();
          resolve();
        });
      });
      await server.nextEvent('park');
      server.put('svc/server/port', '9090');
      await changed;
      expect(ports).toEqual([9090]);
      const outage = firstValueFrom(config.errors$);
      await server.down();
      expect(await outage).toMatchObject({ code: 'SOURCE_READ', source: 'consul:svc/' });
      subscription.unsubscribe();
    } finally {
      await config.close();
    }
  });

  it('does not keep the process alive while a blocking request is pending', async () => {
    server.put('app/x', '1');
    const child = fileURLToPath(new URL('../fixtures/consul-alive-child.ts', import.meta.url));
    const proc = spawn(process.execPath, ['--import', 'tsx', child, server.address, 'app/'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: string | null } | Error>((resolve) => {
      proc.once('exit', (code, signal) => resolve({ code, signal }));
      proc.once('error', resolve);
    });
    const parked = await server.nextEvent('park', () => true, 15_000);
    // The blocking request parks for 10 minutes; the child ends it by exiting on its own once its 1 s
    // timer is done. Killed instead (SIGKILL after 15 s) means something of livecfg kept it alive.
    const dropped = server.nextEvent('abort', (request) => request.id === parked.id, 20_000);
    const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    const outcome = await exited;
    clearTimeout(killer);
    expect(outcome, stderr).toEqual({ code: 0, signal: null });
    expect(withoutNodeWarnings(stderr)).toBe('');
    expectDropped(await dropped);
  }, 30_000);
});

describe('consul source helpers', () => {
  it('parses CONSUL_HTTP_ADDR forms', () => {
    expect(parseConsulHttpAddr('consul:8600')).toEqual({ host: 'consul', port: 8600, secure: false });
    expect(parseConsulHttpAddr('consul')).toEqual({ host: 'consul', port: 8500, secure: false });
    expect(parseConsulHttpAddr('https://consul')).toEqual({ host: 'consul', port: 443, secure: true });
    expect(parseConsulHttpAddr('http://10.0.0.1:8500')).toEqual({
      host: '10.0.0.1',
      port: 8500,
      secure: false,
    });
    expect(parseConsulHttpAddr('[::1]:8501')).toEqual({ host: '::1', port: 8501, secure: false });
    expect(() => parseConsulHttpAddr('unix:///tmp/consul.sock')).toThrow(/not supported/);
  });

  it('lets explicit options win over the environment', () => {
    const environ = () => ({ CONSUL_HTTP_ADDR: 'https://env:9', CONSUL_HTTP_TOKEN: 't' });
    expect(resolveConsulAddress({}, environ)).toEqual({ host: 'env', port: 9, secure: true, token: 't' });
    expect(resolveConsulAddress({ host: 'h', token: 'mine' }, environ)).toEqual({
      host: 'h',
      port: 8500,
      secure: false,
      token: 'mine',
    });
    expect(resolveConsulAddress({}, () => ({}))).toEqual({ host: '127.0.0.1', port: 8500, secure: false });
  });

  it('follows Consul index rules: reset when backwards, never below 1', () => {
    expect(nextIndex(0, 0)).toBe(1);
    expect(nextIndex(10, 12)).toBe(12);
    expect(nextIndex(10, 10)).toBe(10);
    expect(nextIndex(10, 3)).toBe(0);
  });

  it('rejects bad options', () => {
    expect(() => consul({})).toThrow(/exactly one of/);
    expect(() => consul({ prefix: 'a/', key: 'b' })).toThrow(/exactly one of/);
    expect(() => consul({ key: 'a', format: 'xml' })).toThrow(/unknown format/);
    expect(() => consul({ prefix: 'a/', wait: 'soon' })).toThrow(/wait/);
  });
});

const realConsul = process.env.CONSUL_HTTP_ADDR;
if (!realConsul) console.log('consul.test: CONSUL_HTTP_ADDR is not set; skipping the real-Consul cases');

describe.skipIf(!realConsul)(`consul source on a real Consul (${realConsul})`, () => {
  let target: ReturnType<typeof realConsulTarget>;
  beforeAll(() => {
    target = realConsulTarget();
  });
  afterAll(() => target?.close());
  sharedCases(() => target, { track, watch });
});
