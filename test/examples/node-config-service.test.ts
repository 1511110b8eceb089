/**
 * examples/node-config-service end to end: the helloworld service on node-config's layout. It answers
 * from default.yaml + the deployment file + the mapped variables + --NODE_CONFIG, picks up a
 * config/local.yaml created while it runs, and exits on SIGTERM.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { eventually, killAll, ROOT, startTs, tempDir } from './child.js';

const MAIN = join(ROOT, 'examples/node-config-service/main.ts');

let dir: ReturnType<typeof tempDir>;

async function hello(url: string, name?: string): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${url}/hello${name ? `?name=${name}` : ''}`);
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

beforeEach(() => {
  dir = tempDir('livecfg-node-config-');
  cpSync(join(ROOT, 'examples/node-config-service/config'), dir.path, { recursive: true });
  // The shipped defaults, on a free port and with a rate limit the polling below never reaches.
  const defaults = join(dir.path, 'default.yaml');
  writeFileSync(
    defaults,
    readFileSync(defaults, 'utf8')
      .replace(/port: 8080/, 'port: 0')
      .replace(/requestsPerSecond: \d+/, 'requestsPerSecond: 10000')
      .replace(/burst: \d+/, 'burst: 10000'),
  );
});

afterEach(async () => {
  await killAll();
  dir.remove();
});

describe('examples/node-config-service', () => {
  it('reads node-config’s layers, applies a local.yaml created while it runs, exits on SIGTERM', async () => {
    const child = startTs(MAIN, ['--NODE_CONFIG={"features":{"timestamp":true}}'], {
      env: {
        NODE_CONFIG_DIR: dir.path,
        NODE_ENV: 'production',
        NODE_CONFIG_ENV: undefined,
        NODE_APP_INSTANCE: undefined,
        NODE_CONFIG: undefined,
        HELLO_DEFAULT_NAME: 'Mapped',
        HELLO_SHOUT: undefined,
        HELLO_PORT: undefined,
      },
    });
    const [, url] = await child.waitFor(/listening on (http:\/\/\S+)/);
    // production.yaml moved the host to 0.0.0.0; the service prints its address on 127.0.0.1 or 0.0.0.0.
    const base = (url as string).replace('0.0.0.0', '127.0.0.1');
    const first = await hello(base);
    expect(first.body.message).toBe('Hello Mapped'); // HELLO_DEFAULT_NAME through the mapping
    expect(new Date(first.body.time as string).getTime()).not.toBeNaN(); // --NODE_CONFIG
    expect(child.stdout).toContain('0.0.0.0'); // production.yaml

    const local = join(dir.path, 'local.yaml');
    writeFileSync(local, 'greeting:\n  template: Hi {name}\n');
    await eventually(async () => ((await hello(base, 'Ann')).body.message === 'Hi Ann' ? true : undefined), {
      nudge: () => writeFileSync(local, 'greeting:\n  template: Hi {name}\n'),
      what: 'local.yaml to apply',
    });
    expect(child.stdout).toMatch(/local\.yaml/);

    const exit = await child.stop('SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(withoutNodeWarnings(child.stderr)).toBe('');
  });
});
