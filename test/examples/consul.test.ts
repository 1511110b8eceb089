/**
 * examples/consul end to end, both ways it runs: against a Consul given by CONSUL_HTTP_ADDR (here the
 * in-process test server, started by the test) and with no CONSUL_HTTP_ADDR (the example starts its own).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConsulTestServer, startConsulServer } from '../consul-server/server.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { eventually, killAll, ROOT, startTs } from './child.js';

const MAIN = join(ROOT, 'examples/consul/main.ts');
const NO_CONSUL_ENV = {
  CONSUL_HTTP_ADDR: undefined,
  CONSUL_HTTP_TOKEN: undefined,
  CONSUL_HTTP_SSL: undefined,
};

async function message(url: string, name: string): Promise<string | undefined> {
  const response = await fetch(`${url}/hello?name=${name}`);
  return ((await response.json()) as { message?: string }).message;
}

let consul: ConsulTestServer | undefined;

afterEach(async () => {
  await killAll();
  await consul?.close();
  consul = undefined;
});

describe('examples/consul', () => {
  it('reads a Consul given by CONSUL_HTTP_ADDR, seeds only missing keys, follows KV changes, exits on SIGTERM', async () => {
    consul = await startConsulServer();
    consul.put('config/helloworld/greeting/template', 'Greetings {name}, from an existing key');
    const child = startTs(MAIN, ['--server.port=0'], {
      env: { ...NO_CONSUL_ENV, CONSUL_HTTP_ADDR: consul.address },
    });
    const [, url] = await child.waitFor(/listening on (http:\/\/\S+)/);
    expect(child.stdout).toContain(`consul: http://${consul.address}; keys under config/helloworld/`);
    expect(consul.get('config/helloworld/features/shout')?.value).toBe('false'); // seeded
    expect(await message(url as string, 'Ann')).toBe('Greetings Ann, from an existing key'); // not overwritten

    consul.put('config/helloworld/greeting/template', 'Hi {name}');
    consul.put('config/helloworld/features/shout', 'true');
    await eventually(async () => ((await message(url as string, 'Ann')) === 'HI ANN' ? true : undefined), {
      what: 'the greeting from the new keys',
    });
    expect(child.stdout).toMatch(/config v\d+ from consul:config\/helloworld\/: /);

    expect(await child.stop('SIGTERM')).toMatchObject({ code: 0, signal: null });
    expect(withoutNodeWarnings(child.stderr)).toBe('');
  });

  it('without CONSUL_HTTP_ADDR starts the in-process test server and prints how to change a key', async () => {
    const child = startTs(MAIN, ['--server.port=0'], { env: NO_CONSUL_ENV });
    const [, kvUrl] = await child.waitFor(/consul: (http:\/\/\S+) \(in-process test server\)/);
    const [, url] = await child.waitFor(/listening on (http:\/\/\S+)/);
    expect(await message(url as string, 'Bo')).toBe('Hello Bo, from Consul');
    const [, curlData, curlUrl] = await child.waitFor(/curl -X PUT --data '([^']+)' (\S+)/);
    expect(curlUrl).toBe(`${kvUrl}/v1/kv/config/helloworld/greeting/template`);

    // Do what the printed curl command does.
    const put = await fetch(curlUrl as string, { method: 'PUT', body: curlData });
    expect(await put.text()).toBe('true');
    await eventually(async () => ((await message(url as string, 'Bo')) === 'Hi Bo' ? true : undefined), {
      what: 'the greeting from the changed key',
    });

    expect(await child.stop('SIGINT')).toMatchObject({ code: 0, signal: null });
  });
});
