/** `inspector(config, { fleet })`: GET /api/fleet from a watch on the prefix, and the Fleet section. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FleetRow, fleetReporter } from '../../src/fleet.js';
import { type Config, consul, loadConfig } from '../../src/index.js';
import { inspector } from '../../src/inspector/index.js';
import { type ConsulTestServer, startConsulServer } from '../consul-server/server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function instance(server: ConsulTestServer, name: string, max: number): Promise<Config<unknown>> {
  const schema = z.object({ limits: z.object({ max: z.number().max(max) }) });
  const connection = { host: server.host, port: server.port };
  const config = (await loadConfig({
    schema,
    sources: [consul({ prefix: 'config/app/', ...connection })],
  })) as unknown as Config<unknown>;
  config.errors$.subscribe(() => {});
  const report = fleetReporter(config, {
    store: 'consul',
    consul: connection,
    service: 'web',
    instance: name,
  });
  cleanups.push(async () => {
    await config.close();
    await report.close();
  });
  await report.ready;
  return config;
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const http: Server = createServer(handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

describe('inspector fleet view', () => {
  it('serves the rows (rejected first) and follows changes under the prefix', async () => {
    const server = await startConsulServer({ random: () => 0 });
    cleanups.push(() => server.close());
    server.put('config/app/limits/max', '5');
    const viewer = await instance(server, 'a', 100);
    await instance(server, 'b', 10);
    const handler = inspector(viewer, {
      fleet: { store: 'consul', consul: { host: server.host, port: server.port }, service: 'web' },
    });
    cleanups.push(() => handler.close());
    const url = await listen(handler);
    const fleet = async () => {
      const res = await fetch(`${url}/api/fleet`);
      return { status: res.status, body: (await res.json()) as { instances: FleetRow[]; service: string } };
    };
    await expect.poll(async () => (await fleet()).body.instances?.length, { timeout: 10_000 }).toBe(2);
    const written = server.put('config/app/limits/max', '50'); // b (max 10) refuses it
    await expect
      .poll(async () => (await fleet()).body.instances?.map((row) => [row.instance, row.status]), {
        timeout: 10_000,
      })
      .toEqual([
        ['b', 'rejected'],
        ['a', 'ok'],
      ]);
    const { body } = await fleet();
    expect(body.service).toBe('web');
    expect(body.instances[0]?.rejected).toMatchObject({ code: 'VALIDATION', revision: String(written) });

    const page = await fetch(`${url}/`);
    const html = await page.text();
    expect(html).toContain('id="fleet-heading"');
    const hashes = (page.headers.get('content-security-policy') ?? '').match(/'sha256-[^']+'/g) ?? [];
    expect(hashes.length).toBe(3); // page script, fleet script, style
  });

  it('answers 404 on /api/fleet without the fleet option, and the page has no Fleet section', async () => {
    const config = await loadConfig({});
    cleanups.push(() => config.close());
    const handler = inspector(config);
    const url = await listen(handler);
    expect((await fetch(`${url}/api/fleet`)).status).toBe(404);
    expect(await (await fetch(`${url}/`)).text()).not.toContain('fleet-heading');
  });
});
