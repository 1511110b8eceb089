/**
 * Reads per file write: how many times the file source reads its file for one `writeFile` of a
 * watched file (counted by wrapping `fs.readFileSync` and `fs.promises.open` for that path, then
 * `syncBuiltinESMExports()` so that the source's named imports see the wrappers), over 20 writes,
 * each followed by 300 ms of quiet so that late watcher events are counted too.
 */
import fs, { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { file, loadConfig } from '../../src/index.js';
import { median } from '../harness.js';
import type { BenchRow } from './types.js';

const WRITES = 20;

export const rows: BenchRow[] = [
  {
    id: 'reads-per-write',
    operation: 'reads of the file per write of a watched file',
    peer: '—',
    goal: '1',
    async run() {
      const dir = await mkdtemp(join(tmpdir(), 'livecfg-bench-reads-'));
      const path = join(dir, 'app.json');
      writeFileSync(path, JSON.stringify({ counter: 0 }));
      let reads = 0;
      const readFileSync = fs.readFileSync;
      const open = fs.promises.open;
      const counts = (target: unknown): boolean => String(target) === path;
      fs.readFileSync = ((target: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
        if (counts(target)) reads++;
        return (readFileSync as (...args: unknown[]) => unknown)(target, ...rest);
      }) as typeof fs.readFileSync;
      fs.promises.open = ((target: fs.PathLike, ...rest: unknown[]) => {
        if (counts(target)) reads++;
        return (open as (...args: unknown[]) => unknown)(target, ...rest);
      }) as typeof fs.promises.open;
      syncBuiltinESMExports();
      const perWrite: number[] = [];
      const config = await loadConfig({ sources: [file(path)] });
      const keepAlive = setInterval(() => {}, 60_000);
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        for (let counter = 1; counter <= WRITES; counter++) {
          const published = new Promise<void>((resolve) => {
            const subscription = config.changes$.subscribe(() => {
              subscription.unsubscribe();
              resolve();
            });
          });
          reads = 0;
          writeFileSync(path, JSON.stringify({ counter }));
          await published;
          await new Promise((resolve) => setTimeout(resolve, 300));
          perWrite.push(reads);
        }
      } finally {
        clearInterval(keepAlive);
        fs.readFileSync = readFileSync;
        fs.promises.open = open;
        syncBuiltinESMExports();
        await config.close();
        await rm(dir, { recursive: true, force: true });
      }
      const typical = median(perWrite);
      const met = Math.max(...perWrite) <= 1;
      return {
        figure: `${typical} (median; max ${Math.max(...perWrite)}, over ${WRITES} writes)`,
        met,
        why: met
          ? "the raw fs.watch events of one write are coalesced into one read on the next turn; chokidar's derived events are not listened to"
          : 'every chokidar and fs.watch event of one write triggers a read',
        numbers: { median: typical, max: Math.max(...perWrite) },
      };
    },
  },
];
