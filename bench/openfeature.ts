/**
 * OpenFeature evaluations through the real SDK client: `client.getBooleanDetails(key)` with
 * LivecfgProvider over a config loaded from a YAML file (20 flags under `features`, 1,000 other
 * keys), against the SDK's own InMemoryProvider holding the same flags (its peer: no I/O, no
 * metadata). Alternating rounds in one process; medians.
 *
 *   npx tsx bench/openfeature.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { stringify } from 'yaml';
import { file, loadConfig } from '../src/index.js';
import { LivecfgProvider } from '../src/openfeature.js';
import { compareAsync, formatNs } from './harness.js';

const FLAGS = 20;
const flags = Object.fromEntries(Array.from({ length: FLAGS }, (_, i) => [`flag-${i}`, i % 2 === 0]));
const other = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, `value ${i}`]));

const dir = await mkdtemp(join(tmpdir(), 'livecfg-bench-openfeature-'));
const path = join(dir, 'flags.yaml');
await writeFile(path, stringify({ features: flags, other }));
const config = await loadConfig({ sources: [file(path)] });
await OpenFeature.setProviderAndWait('livecfg', new LivecfgProvider(config, { prefix: 'features' }));
await OpenFeature.setProviderAndWait(
  'in-memory',
  new InMemoryProvider(
    Object.fromEntries(
      Object.entries(flags).map(([key, on]) => [
        key,
        { variants: { on: true, off: false }, defaultVariant: on ? 'on' : 'off', disabled: false },
      ]),
    ),
  ),
);
const livecfg = OpenFeature.getClient('livecfg');
const inMemory = OpenFeature.getClient('in-memory');

let i = 0;
const key = (): string => `flag-${i++ % FLAGS}`;
const [ours, peer] = await compareAsync(
  () => livecfg.getBooleanDetails(key(), false),
  () => inMemory.getBooleanDetails(key(), false),
  { iterations: 20_000, rounds: 9 },
);
const check = await livecfg.getBooleanDetails('flag-0', false);
if (check.value !== true || check.reason !== 'STATIC') throw new Error('livecfg did not resolve flag-0');

console.log('| evaluation (getBooleanDetails, 20 flags) | LivecfgProvider | InMemoryProvider | ratio |');
console.log('|---|---|---|---|');
console.log(`| median per call | ${formatNs(ours)} | ${formatNs(peer)} | ${(ours / peer).toFixed(2)}× |`);

await OpenFeature.close();
await config.close();
await rm(dir, { recursive: true, force: true });
