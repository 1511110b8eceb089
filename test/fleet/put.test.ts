/** `livecfg put` in process against the Consul test server: CAS conflicts, races, delete, key documents. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPut } from '../../src/cli/put.js';
import { type FleetStore, openFleetStore } from '../../src/fleet.js';
import { type ConsulTestServer, startConsulServer } from '../consul-server/server.js';
import { ROOT } from '../examples/child.js';

let server: ConsulTestServer;
let store: FleetStore;
const saved = { ...process.env };

beforeEach(async () => {
  server = await startConsulServer({ random: () => 0 });
  server.put('config/orders/limits/max', '10');
  server.put('config/orders/db/password', 'correct-horse-battery');
  process.env.CONSUL_HTTP_ADDR = server.address;
  delete process.env.CONSUL_HTTP_TOKEN;
  store = openFleetStore({ store: 'consul', consul: { host: server.host, port: server.port } });
});

afterEach(async () => {
  process.env = { ...saved };
  store.close();
  await server.close();
});

async function put(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: (text: string) => {
      stderr += text;
    },
    untilInterrupted: () => Promise.resolve(),
  };
  const base = ['--store', 'consul', '--consul', 'config/orders/', '--schema', 'test/fleet/schema.ts#Schema'];
  const code = await runPut([...args, ...base], io, ROOT);
  return { code, stdout, stderr };
}

describe('livecfg put (Consul)', () => {
  it('exits 3 and writes nothing of its own when someone writes between its read and its write', async () => {
    const key = 'config/orders/limits/max';
    // The other writer lands right when put's CAS request arrives (before the server applies it).
    server.on('request', (record) => {
      if (record.method === 'PUT' && record.path.endsWith('/limits/max') && 'cas' in record.query) {
        server.put(key, '77');
      }
    });
    const result = await put(key, '20');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`conflict: ${key} changed since it was read`);
    expect(result.stderr).toContain('nothing written');
    expect(server.get(key)?.value).toBe('77');
  });

  it('two concurrent puts on one key: at least one wins, a loser exits 3 and its value is never stored', async () => {
    const key = 'config/orders/limits/max';
    let races = 0;
    for (let round = 0; round < 20; round++) {
      const [a, b] = await Promise.all([put(key, String(100 + round)), put(key, String(200 + round))]);
      const codes = [a.code, b.code].sort();
      expect([
        [0, 0],
        [0, 3],
      ]).toContainEqual(codes);
      const stored = server.get(key)?.value;
      if (codes[1] === 3) {
        races++;
        const winner = a.code === 0 ? 100 + round : 200 + round;
        expect(stored).toBe(String(winner));
      }
    }
    // Each run reads, then loads and validates, then writes: on this server they interleave.
    expect(races).toBeGreaterThan(0);
  });

  it('exactly one of two CAS writes on the same revision wins (store level, 200 rounds)', async () => {
    const key = 'config/orders/limits/max';
    for (let round = 0; round < 200; round++) {
      const current = await store.get(key, { background: false });
      const expected = current.kv?.modRevision ?? '0';
      const results = await Promise.all([
        store.cas(key, `${round}a`, expected, { background: false }),
        store.cas(key, `${round}b`, expected, { background: false }),
      ]);
      expect(results.filter((result) => result.ok)).toHaveLength(1);
    }
  });

  it('deletes with --delete under the same rules, and refuses a delete the schema rejects', async () => {
    server.put('config/orders/extra', '1');
    const removed = await put('config/orders/extra', '--delete');
    expect(removed.code, removed.stderr).toBe(0);
    // The schema strips unknown keys: the config as instances build it does not change.
    expect(removed.stdout).toContain('no configuration path changes');
    expect(removed.stdout).toMatch(/deleted config\/orders\/extra at revision \d+/);
    expect(server.get('config/orders/extra')).toBeUndefined();
    const refused = await put('config/orders/limits/max', '--delete');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('limits');
    expect(server.get('config/orders/limits/max')?.value).toBe('10');
    const missing = await put('config/orders/nothing', '--delete');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  });

  it('reports an unchanged value without writing', async () => {
    const index = server.get('config/orders/limits/max')?.modifyIndex;
    const same = await put('config/orders/limits/max', '10');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(`unchanged (revision ${index})`);
    expect(server.get('config/orders/limits/max')?.modifyIndex).toBe(index);
  });

  it('writes a key document (--consul-key) after validating the parsed document', async () => {
    server.put('config/orders.json', JSON.stringify({ limits: { max: 5 }, db: { password: 'x' } }));
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: (text: string) => {
        stdout += text;
      },
      stderr: (text: string) => {
        stderr += text;
      },
      untilInterrupted: () => Promise.resolve(),
    };
    const args = [
      '--store',
      'consul',
      '--consul-key',
      'config/orders.json',
      '--schema',
      'test/fleet/schema.ts#Schema',
    ];
    const bad = await runPut(
      ['config/orders.json', '{"limits":{"max":-1},"db":{"password":"x"}}', ...args],
      io,
      ROOT,
    );
    expect(bad).toBe(1);
    expect(stderr).toContain('limits.max');
    const good = await runPut(
      ['config/orders.json', '{"limits":{"max":6},"db":{"password":"x"}}', ...args],
      io,
      ROOT,
    );
    expect(good, stderr).toBe(0);
    expect(stdout).toContain('limits.max: 5 → 6');
    expect(JSON.parse(server.get('config/orders.json')?.value ?? '{}')).toMatchObject({ limits: { max: 6 } });
  });
});
