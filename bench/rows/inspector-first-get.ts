/**
 * Issue 21's inspector row: a 10,000-leaf config read from a real JSON file, served by `inspector()`
 * on loopback. Measures the very first `GET /api/config` of a fresh inspector (5 fresh configs,
 * median), then for 20 file writes the first `GET /api/config` after the change is published, and the
 * first `GET /api/config?origins=1` after another change (each median of 20). Wall time of the request
 * on a keep-alive connection, client in the same process.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { file, loadConfig } from '../../src/index.js';
import { inspector } from '../../src/inspector/index.js';
import { makeTree } from '../fixtures.js';
import { median } from '../harness.js';
import { type BenchRow, ms } from './types.js';

function get(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', reject);
    req.end();
  });
}

async function session(path: string, edits: number) {
  const config = await loadConfig({ sources: [file(path)], debounceMs: 0 });
  const handler = inspector(config);
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/config`;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const tree = makeTree(10_000);
  const group = Object.values(tree)[0] as Record<string, Record<string, unknown>>;
  const leaf = Object.values(group)[0] as Record<string, unknown>;
  const key = Object.keys(leaf)[0] as string;
  const afterChange: number[] = [];
  const originsAfterChange: number[] = [];
  try {
    const veryFirst = await get(url, agent);
    for (let edit = 0; edit < edits * 2; edit++) {
      leaf[key] = `edit-${edit}`;
      const published = firstValueFrom(config.changes$);
      await writeFile(path, JSON.stringify(tree));
      await published;
      if (edit % 2 === 0) afterChange.push(await get(url, agent));
      else originsAfterChange.push(await get(`${url}?origins=1`, agent));
    }
    return { veryFirst, afterChange, originsAfterChange };
  } finally {
    agent.destroy();
    handler.close();
    server.closeAllConnections();
    server.close();
    await config.close();
  }
}

/** The row (bench/rows/index.ts registers this module). */
export const rows: BenchRow[] = [
  {
    id: 'inspector-first-get',
    operation: 'inspector, first `GET /api/config` after a change, 10,000 leaves (very first; `?origins=1`)',
    peer: '—',
    goal: '≤ 8 ms; very first ≤ 40 ms; `?origins=1` ≤ 25 ms',
    async run() {
      const dir = await mkdtemp(join(tmpdir(), 'livecfg-first-get-'));
      const path = join(dir, 'config.json');
      await writeFile(path, JSON.stringify(makeTree(10_000)));
      try {
        const veryFirst: number[] = [];
        let last: Awaited<ReturnType<typeof session>> | undefined;
        for (let run = 0; run < 5; run++) {
          last = await session(path, run === 4 ? 20 : 0);
          veryFirst.push(last.veryFirst);
        }
        const after = median(last?.afterChange ?? []);
        const origins = median(last?.originsAfterChange ?? []);
        const first = median(veryFirst);
        return {
          figure: `${ms(after)} after a change; very first ${ms(first)}; \`?origins=1\` ${ms(origins)} (medians)`,
          met: after <= 8 && first <= 40 && origins <= 25,
          why:
            'each first answer after a change redacts and serialises the whole 10,000-leaf value; meeting 8 ms needs ' +
            'the redacted JSON of unchanged subtrees reused across versions (they are the same objects in both snapshots)',
          numbers: { after, first, origins },
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  },
];
