/** The inspector's SSE stream over a real file config: live changes, replay, errors, the cap, the end. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspector } from '../../src/inspector/index.js';
import { killAll, ROOT, startTs } from '../examples/child.js';
import { closeServer, listen, type Served, SseClient, serve, YAML } from './helpers.js';

let served: Served | undefined;
const clients: SseClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await served?.close();
  served = undefined;
  await killAll();
});

async function connect(path = '/api/events', headers: Record<string, string> = {}): Promise<SseClient> {
  if (!served) throw new Error('not served');
  const client = await SseClient.connect(`${served.url}${path}`, headers);
  clients.push(client);
  return client;
}

/** Resolves when the config publishes `version`. */
function published(version: number): Promise<void> {
  return new Promise((resolve) => {
    const subscription = served?.config.changes$.subscribe((change) => {
      if (change.version >= version) {
        subscription?.unsubscribe();
        resolve();
      }
    });
  });
}

/** Waits for a condition checked on every turn of the event loop (no guessed delays). */
async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

interface ChangeData {
  version: number;
  source: string;
  changes: Array<{ path: string; previous: unknown; value: unknown; describedOrigin: string }>;
}

describe('inspector /api/events', () => {
  it('a file edit reaches a connected client as event: change with id = version, redacted', async () => {
    served = await serve();
    const client = await connect();
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.response.headers.connection).toBe('close'); // no idle socket outlives the stream
    await until(() => served?.handler.streams === 1, 'the stream to register');

    await served.write(YAML.replace('greeting: hello', 'greeting: live').replace('hunter2', 'hunter3'));
    await client.until(() => client.data('change').length === 1, 'a change event');
    const [event] = client.events.filter((item) => item.event === 'change');
    expect(event?.id).toBe('2');
    expect(event?.data).not.toContain('hunter');
    const data = JSON.parse(event?.data ?? '{}') as ChangeData;
    expect(data.version).toBe(2);
    expect(data.source).toBe(`file:${served.file}`);
    expect(data.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'greeting', previous: 'hello', value: 'live' }),
        expect.objectContaining({ path: 'db.password', previous: '[redacted]', value: '[redacted]' }),
      ]),
    );
  });

  it('Last-Event-ID replays the missed changes in order; a gap the history cannot fill sends reset', async () => {
    served = await serve({ history: 3 });
    for (let n = 1; n <= 4; n++) {
      const next = published(n + 1);
      await served.write(`greeting: g${n}\n`);
      await next;
    }
    expect(served.config.version).toBe(5);

    const resumed = await connect('/api/events', { 'last-event-id': '3' });
    await resumed.until(() => resumed.data('change').length === 2, 'two replayed changes');
    expect(resumed.events.map((event) => event.id)).toEqual(['4', '5']);
    expect(resumed.data<ChangeData>('change').map((change) => change.changes[0]?.value)).toEqual([
      'g3',
      'g4',
    ]);

    // ?since= does the same for a first connection (EventSource cannot set the header).
    const since = await connect('/api/events?since=4');
    await since.until(() => since.data('change').length === 1, 'one replayed change');
    expect(since.events[0]?.id).toBe('5');

    // Version 2 has left the 3-entry history: the client must reload.
    const tooOld = await connect('/api/events', { 'last-event-id': '1' });
    await tooOld.until(() => tooOld.events.length === 1, 'a reset');
    expect(tooOld.events[0]).toMatchObject({ event: 'reset', data: '{"version":5}' });
    // An id from another process (ahead of this one) also resets; the current version sends nothing.
    const ahead = await connect('/api/events', { 'last-event-id': '99' });
    await ahead.until(() => ahead.events.length === 1, 'a reset');
    expect(ahead.events[0]?.event).toBe('reset');
    const current = await connect('/api/events', { 'last-event-id': '5' });
    await until(() => served?.handler.streams === 5, 'five streams');
    expect(current.events).toEqual([]);
  });

  it('a rejected edit arrives as event: error with code, source, file:line and no secret; new clients get recent errors', async () => {
    served = await serve();
    const client = await connect();
    await until(() => served?.handler.streams === 1, 'the stream to register');
    await served.write('db:\n  password: hunter2-db-password\n  url: @bad\n');
    await client.until(() => client.data('error').length === 1, 'an error event');
    const [error] = client.data<Record<string, unknown>>('error');
    expect(error).toMatchObject({ code: 'PARSE', source: `file:${served.file}`, file: served.file, line: 3 });
    expect(String(error?.message)).toContain(served.file);
    expect(client.events.find((event) => event.event === 'error')?.id).toBeUndefined();
    expect(JSON.stringify(client.events)).not.toContain('hunter2');

    const later = await connect();
    await later.until(() => later.data('error').length === 1, 'the recent error replayed');
    expect(later.data('error')[0]).toEqual(error);
  });

  it('caps concurrent streams (503 over maxStreams) and frees a slot when a client leaves', async () => {
    served = await serve({ maxStreams: 2 });
    const first = await connect();
    await connect();
    await until(() => served?.handler.streams === 2, 'two streams');
    const refused = await fetch(`${served.url}/api/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_STREAMS');

    first.close();
    await until(() => served?.handler.streams === 1, 'the slot to free');
    const third = await connect();
    expect(third.response.statusCode).toBe(200);
  });

  it('sends heartbeat comments on an unref’d timer', async () => {
    served = await serve({ heartbeatMs: 10 });
    const client = await connect();
    await client.until(() => client.comments >= 3, 'three heartbeats'); // 1 greeting comment + 2 heartbeats
    expect(client.events).toEqual([]);
  });

  it('config.close() ends every stream; new ones get 503 CLOSED; handler.close() ends its own', async () => {
    served = await serve();
    const other = inspector(served.config);
    const second = await listen(other);
    try {
      const client = await connect();
      const client2 = await SseClient.connect(`${second.url}/api/events`);
      clients.push(client2);
      other.close();
      await client2.untilEnded();
      expect(client.ended).toBe(false);

      await served.config.close();
      await client.untilEnded();
      expect(served.handler.streams).toBe(0);
      const after = await fetch(`${served.url}/api/events`);
      expect(after.status).toBe(503);
      expect(((await after.json()) as { error: { code: string } }).error.code).toBe('CLOSED');
    } finally {
      await closeServer(second.server);
    }
  });

  it('a process serving a connected stream exits by itself once the config and the server close', async () => {
    const child = startTs(join(ROOT, 'test/inspector/fixtures/exit-child.ts'), []);
    await child.waitFor(/streaming/);
    const exit = await child.waitExit(10_000);
    expect(exit, child.output).toEqual({ code: 0, signal: null });
    expect(child.stdout).toContain('stream ended');
  });
});
