/**
 * examples/fastify-service and examples/nest-service end to end, as `npm run example:*` starts them:
 * greeting, rate limit and feature flags follow YAML edits without a restart, a rejected edit is
 * reported and the last good config keeps serving, and SIGTERM ends the process cleanly.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, killAll, ROOT, startTs, tempDir } from '../examples/child.js';

let dir: ReturnType<typeof tempDir>;
let configFile: string;
let text: string;

function edit(from: string, to: string): void {
  const next = text.replace(from, to);
  expect(next, `the config has ${from}`).not.toBe(text);
  text = next;
  writeFileSync(configFile, text);
}

beforeEach(() => {
  dir = tempDir('livecfg-framework-example-');
  configFile = join(dir.path, 'config.yaml');
});

afterEach(async () => {
  await killAll();
  dir.remove();
});

const EXAMPLES = [
  { name: 'fastify-service', rejected: { stream: 'stdout', pattern: /config error, keeping v\d+: .*burst/ } },
  { name: 'nest-service', rejected: { stream: 'stderr', pattern: /ERROR.*\[livecfg\] VALIDATION: .*burst/ } },
] as const;

describe.each(EXAMPLES)('examples/$name', ({ name, rejected }) => {
  it('reloads greeting, rate limit and feature flags live, reports a bad edit, exits on SIGTERM', async () => {
    text = readFileSync(join(ROOT, `examples/${name}/config.yaml`), 'utf8');
    writeFileSync(configFile, text);
    const child = startTs(join(ROOT, `examples/${name}/main.ts`), [
      '--config',
      configFile,
      '--server.port=0',
    ]);
    const [, url] = await child.waitFor(/listening on (http:\/\/\S+)/, { timeoutMs: 20_000 });
    const hello = async () => {
      const response = await fetch(`${url}/hello?name=Ann`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const features = async () => (await (await fetch(`${url}/features`)).json()) as Record<string, unknown>;
    expect(await hello()).toEqual({ status: 200, body: { message: 'Hello Ann' } });
    // The inspector at /config/ (loopback is authorized in the examples).
    const inspected = (await (await fetch(`${url}/config/api/config`)).json()) as { version: number };
    expect(inspected.version).toBe(1);

    // One write: a new greeting, shouting on, and a rate limit of one request.
    edit('template: Hello {name}', 'template: Howdy {name}!');
    edit('shout: false', 'shout: true');
    edit('requestsPerSecond: 5', 'requestsPerSecond: 0.001');
    edit('burst: 10', 'burst: 1');
    await eventually(async () => ((await features()).shout === true ? true : undefined), {
      nudge: () => writeFileSync(configFile, text),
      what: 'shout on',
    });
    expect(await hello()).toEqual({ status: 200, body: { message: 'HOWDY ANN!' } });
    expect((await hello()).status).toBe(429);

    // Rejected by the schema: reported, and the last good config keeps answering.
    const from = child[rejected.stream].length;
    edit('burst: 1', 'burst: -1');
    await child.waitFor(rejected.pattern, { stream: rejected.stream, from, timeoutMs: 10_000 });
    expect(await features()).toEqual({ shout: true, timestamp: false });
    expect((await hello()).status).toBe(429);

    const exit = await child.stop('SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(child.stdout).toMatch(/SIGTERM: shutting down\nstopped in \d+ ms\n$/);
  });
});
