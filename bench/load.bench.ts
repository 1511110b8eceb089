import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { file, loadConfig } from '../src/index.js';
import { makeTree, makeYaml } from './fixtures.js';
import type { BenchRow } from './get.bench.js';
import { compareAsync, formatNs, isMain } from './harness.js';

/** Loading 10,000-key YAML and JSON files: livecfg vs `yaml.parse` and nconf's `file()` load. */
export async function run(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'livecfg-bench-'));
  const yamlText = makeYaml(10_000);
  const yamlPath = join(dir, 'big.yaml');
  writeFileSync(yamlPath, yamlText);
  const jsonPath = join(dir, 'big.json');
  writeFileSync(jsonPath, JSON.stringify(makeTree(10_000), null, 2));

  const loadYaml = async (): Promise<void> => {
    const config = await loadConfig({ sources: [file(yamlPath)], watch: false });
    await config.close();
  };
  const [ours, yamlParse] = await compareAsync(loadYaml, () => parse(yamlText), { iterations: 3, rounds: 7 });

  const require = createRequire(import.meta.url);
  const nconf = require('nconf') as {
    Provider: new () => { file(options: { file: string }): void; get(key: string): unknown };
  };
  const loadJson = async (): Promise<void> => {
    const config = await loadConfig({ sources: [file(jsonPath)], watch: false });
    await config.close();
  };
  const nconfLoad = (): unknown => {
    const provider = new nconf.Provider();
    provider.file({ file: jsonPath });
    return provider.get('s0');
  };
  const [oursJson, nconfJson] = await compareAsync(loadJson, nconfLoad, { iterations: 20, rounds: 15 });
  rmSync(dir, { recursive: true, force: true });
  return [
    {
      name: 'load 10,000-key YAML file',
      livecfg: formatNs(ours),
      peer: `yaml.parse: ${formatNs(yamlParse)}`,
      ratio: yamlParse / ours,
      goal: 'cost ≤ 1.3× (ratio ≥ 0.77)',
    },
    {
      name: 'load 10,000-key JSON file',
      livecfg: formatNs(oursJson),
      peer: `nconf file(): ${formatNs(nconfJson)}`,
      ratio: nconfJson / oursJson,
      goal: 'cost ≤ 2× (ratio ≥ 0.5)',
    },
  ];
}

if (isMain(import.meta.url)) {
  console.log(await run());
}
