/** `import 'livecfg'` does not load a Consul client; a Consul source talks HTTP with the kit's client. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('Consul client loading', () => {
  it('no consul/papi module is loaded, at import or at a read', async () => {
    const child = fileURLToPath(new URL('../fixtures/consul-cold-child.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ afterImport: [], afterRead: [] });
  }, 30_000);
});
