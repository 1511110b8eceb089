/**
 * Measures, for the report: the cost of an unchanged Vault poll (bytes on the wire and time, against
 * the in-process test server) and age decryption latency (the first value, including the lazy import
 * of age-encryption, then per value). Run in a fresh process: npx tsx test/secrets/measure-secrets.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ageDecrypt } from '../../src/secrets/age.js';
import { VaultClient } from '../../src/sources/vault/client.js';
import { resolveConnection } from '../../src/sources/vault/connection.js';
import { vault } from '../../src/vault.js';
import { startVaultServer } from '../vault-server/server.js';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const p = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
};

async function measureAge(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'livecfg-measure-'));
  try {
    const keyFile = join(dir, 'key.txt');
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    const values = Array.from({ length: 201 }, (_, i) => {
      const ciphertext = execFileSync('age', ['-r', recipient], { input: `secret-value-${i}` });
      return `ENC[age,${ciphertext.toString('base64')}]`;
    });
    const resolver = ageDecrypt({ identityFile: keyFile });
    const context = { path: ['db', 'password'], source: 'measure' };
    const t0 = performance.now();
    await resolver.resolve(values[0]!, context);
    const first = performance.now() - t0;
    const times: number[] = [];
    for (const value of values.slice(1)) {
      const start = performance.now();
      await resolver.resolve(value, context);
      times.push(performance.now() - start);
    }
    console.log(
      `age decrypt: first value ${first.toFixed(1)} ms (lazy import of age-encryption + identity file + decrypt); ` +
        `then per value median ${median(times).toFixed(3)} ms, p90 ${p(times, 0.9).toFixed(3)} ms (n=${times.length})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureVaultPoll(): Promise<void> {
  const server = await startVaultServer();
  try {
    server.write('secret', 'app/config', {
      db: { host: 'db.internal', user: 'app', password: 'x'.repeat(32) },
      api: { key: 'k'.repeat(40) },
    });
    for (let i = 0; i < 4; i++) server.write('secret', 'app/config', { v: i, pad: 'p'.repeat(200) });
    const env = () => ({ VAULT_ADDR: server.url, VAULT_TOKEN: server.rootToken });
    // Wire cost of the unchanged polls a watching source makes.
    const source = vault({ path: 'app/config', pollIntervalMs: 5, environ: env });
    await source.read();
    const dataRead = server.requests.at(-1)!;
    server.clearLog();
    const subscription = source.watch().subscribe();
    while (server.requests.filter((r) => r.status !== undefined).length < 200) {
      await server.nextEvent('response');
    }
    subscription.unsubscribe();
    await source.close();
    const polls = server.requests.filter((r) => r.status !== undefined);
    const dataReads = polls.filter((r) => r.path.includes('/data/')).length;
    console.log(
      `vault unchanged poll: ${polls.length} polls, ${dataReads} data reads; per poll 1 request, ` +
        `median ${median(polls.map((r) => r.bytesIn ?? 0))} B sent + ${median(polls.map((r) => r.bytesOut ?? 0))} B received ` +
        `(a data read: ${dataRead.bytesIn} B + ${dataRead.bytesOut} B), ` +
        `server time median ${median(polls.map((r) => (r.endedAt ?? 0) - r.startedAt))} ms`,
    );
    // Client-side time of one poll request (fetch round trip + JSON decode), keep-alive connection.
    const client = new VaultClient(resolveConnection({ environ: env }, 'measure'), 'measure');
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const start = performance.now();
      await client.readFingerprint('secret', 'app/config');
      if (i >= 20) times.push(performance.now() - start);
    }
    client.close();
    console.log(
      `vault unchanged poll round trip (client side, loopback): median ${median(times).toFixed(3)} ms, ` +
        `p90 ${p(times, 0.9).toFixed(3)} ms (n=${times.length})`,
    );
  } finally {
    await server.close();
  }
}

await measureAge();
await measureVaultPoll();
