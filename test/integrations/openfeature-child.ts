/**
 * Child process of openfeature-events.test.ts: a config watching a real YAML file, the provider set
 * in OpenFeature, a client handler, one evaluation; then nothing is closed. It must exit by itself:
 * neither the provider's subscription nor the SDK may keep it alive.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { file, loadConfig } from '../../src/index.js';
import { LivecfgProvider } from '../../src/openfeature.js';

const dir = await mkdtemp(join(tmpdir(), 'livecfg-openfeature-exit-'));
const path = join(dir, 'flags.yaml');
await writeFile(path, 'features:\n  new-checkout: true\n');
const config = await loadConfig({ sources: [file(path)] });
await OpenFeature.setProviderAndWait(new LivecfgProvider(config, { prefix: 'features' }));
const client = OpenFeature.getClient();
client.addHandler(ProviderEvents.ConfigurationChanged, () => console.log('changed'));
console.log(`new-checkout=${await client.getBooleanValue('new-checkout', false)}`);
await rm(dir, { recursive: true, force: true });
