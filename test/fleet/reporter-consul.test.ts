import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FleetRecord, type FleetStore, fleetReporter, openFleetStore } from '../../src/fleet.js';
import { type Config, consul, loadConfig } from '../../src/index.js';
import { type ConsulTestServer, startConsulServer } from '../consul-server/server.js';
import { waitForRecords } from './helpers.js';

const Schema = z.object({
  limits: z.object({ max: z.number().int().positive() }),
  db: z.object({ password: z.string() }).optional(),
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ server: ConsulTestServer; store: FleetStore; config: Config<unknown> }> {
  const server = await startConsulServer({ random: () => 0 });
  cleanups.push(() => server.close());
  server.put('config/app/limits/max', '10');
  server.put('config/app/db/password', 's3cr3t-pass');
  const connection = { host: server.host, port: server.port };
  const config = (await loadConfig({
    schema: Schema,
    sources: [consul({ prefix: 'config/app/', ...connection })],
  })) as unknown as Config<unknown>;
  cleanups.push(() => config.close());
  const store = openFleetStore({ store: 'consul', consul: connection });
  cleanups.push(() => store.close());
  return { server, store, config };
}

const one = (records: FleetRecord[]) => records[0] as FleetRecord;

describe('fleetReporter on Consul', () => {
  it('writes one record per instance under a session, with the applied index of each source', async () => {
    const { server, store, config } = await setup();
    const report = fleetReporter(config, {
      store: 'consul',
      consul: { host: server.host, port: server.port },
      service: 'orders',
      instance: 'a',
    });
    cleanups.push(() => report.close());
    await report.ready;
    expect(report.key).toBe('livecfg/fleet/orders/a');
    const entry = server.get('livecfg/fleet/orders/a');
    expect(entry?.session).toBeDefined();
    const record = JSON.parse(entry?.value ?? '{}') as FleetRecord;
    expect(record).toMatchObject({
      service: 'orders',
      instance: 'a',
      pid: process.pid,
      configVersion: 1,
      ttlSeconds: 10,
      lastRejected: null,
      sources: [
        {
          name: 'consul:config/app/',
          status: 'ok',
          revision: String(server.get('config/app/db/password')?.modifyIndex),
          pendingRevision: null,
        },
      ],
    });
    expect(record.checksum).toMatch(/^[0-9a-f]{16}$/);
    expect(server.sessions().map((session) => session.name)).toEqual(['livecfg/fleet/orders/a']);

    // A valid write is applied and reported with its index.
    const written = server.put('config/app/limits/max', '20');
    const [applied] = await waitForRecords(store, 'orders', (records) => one(records)?.configVersion === 2);
    expect(applied?.sources[0]?.revision).toBe(String(written));
    expect(applied?.checksum).not.toBe(record.checksum);

    // A refused write: lastRejected names the code, source, index; the message is redacted.
    const refused = server.put('config/app/limits/max', '-1');
    const [rejected] = await waitForRecords(
      store,
      'orders',
      (records) => one(records)?.lastRejected !== null,
    );
    expect(rejected?.configVersion).toBe(2);
    expect(rejected?.lastRejected).toMatchObject({
      code: 'VALIDATION',
      source: 'consul:config/app/',
      revision: String(refused),
    });
    expect(rejected?.sources[0]).toMatchObject({
      revision: String(written),
      pendingRevision: String(refused),
    });
    expect(JSON.stringify(rejected)).not.toContain('s3cr3t-pass');

    // A fix clears the rejection.
    server.put('config/app/limits/max', '30');
    await waitForRecords(store, 'orders', (records) => one(records)?.lastRejected === null);

    // close() deletes the key at once (the session is destroyed, behavior delete).
    await config.close();
    await report.close();
    expect(server.get('livecfg/fleet/orders/a')).toBeUndefined();
    expect(server.sessions()).toEqual([]);
  });

  it('coalesces a storm of changes into at most one write per second', async () => {
    const { server, store, config } = await setup();
    const report = fleetReporter(config, {
      store: 'consul',
      consul: { host: server.host, port: server.port },
      service: 'storm',
      instance: 'a',
    });
    cleanups.push(() => report.close());
    await report.ready;
    const before = report.writes;
    let last = 0;
    for (let value = 1; value <= 50; value++) {
      server.put('config/app/limits/max', String(value));
      last = server.get('config/app/limits/max')?.modifyIndex ?? 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [record] = await waitForRecords(
      store,
      'storm',
      (records) => one(records)?.sources[0]?.revision === String(last),
    );
    expect(record?.configVersion).toBeGreaterThan(1);
    expect(report.writes - before).toBeLessThan(10);
  });

  it('treats a store that is down as a warning and writes once it is back', async () => {
    const { server, config } = await setup();
    await server.down();
    const errors: Error[] = [];
    const report = fleetReporter(config, {
      store: 'consul',
      consul: { host: server.host, port: server.port },
      service: 'down',
      instance: 'a',
      onError: (error) => errors.push(error),
    });
    cleanups.push(() => report.close());
    await expect.poll(() => errors.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(config.version).toBe(1);
    await server.up();
    await report.ready;
    expect(server.get('livecfg/fleet/down/a')).toBeDefined();
    expect(errors.length).toBe(1); // one warning per outage, not one per retry
  });

  it('grants a new session when the old one was invalidated', async () => {
    const { server, store, config } = await setup();
    const report = fleetReporter(config, {
      store: 'consul',
      consul: { host: server.host, port: server.port },
      service: 'renew',
      instance: 'a',
      ttlSeconds: 10,
    });
    cleanups.push(() => report.close());
    await report.ready;
    const [first] = server.sessions();
    server.invalidateSession(first?.id ?? '');
    expect(server.get('livecfg/fleet/renew/a')).toBeUndefined();
    // The next publish rewrites the key under a new session.
    server.put('config/app/limits/max', '11');
    await waitForRecords(
      store,
      'renew',
      (records) => records.length === 1 && one(records).configVersion === 2,
    );
    expect(server.sessions().map((session) => session.id)).not.toContain(first?.id);
    expect(server.get('livecfg/fleet/renew/a')?.session).toBeDefined();
  });
});
