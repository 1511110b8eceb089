/**
 * examples/custom-source: the HTTP JSON source on its own (ETags, 304s, errors, close) and the example
 * service end to end.
 */
import { join } from 'node:path';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConfigServer, startConfigServer } from '../../examples/custom-source/config-server.js';
import { httpJson } from '../../examples/custom-source/http-json-source.js';
import { Schema } from '../../examples/helloworld-service/schema.js';
import { type Config, type ConfigError, loadConfig } from '../../src/index.js';
import { withoutNodeWarnings } from '../helpers/stderr.js';
import { eventually, killAll, ROOT, startTs } from './child.js';

const MAIN = join(ROOT, 'examples/custom-source/main.ts');

let server: ConfigServer | undefined;
let config: Config<unknown> | undefined;

afterEach(async () => {
  await killAll();
  await config?.close();
  await server?.close();
  config = undefined;
  server = undefined;
});

describe('httpJson source', () => {
  it('polls with If-None-Match: 304 is not a change, a new document is', async () => {
    server = await startConfigServer({ greeting: { template: 'One {name}' } });
    const source = httpJson({ url: server.url, intervalMs: 5 });
    const loaded = await loadConfig({ schema: Schema, sources: [source] });
    config = loaded as unknown as Config<unknown>;
    expect(loaded.get('greeting.template')).toBe('One {name}');
    const firstEtag = server.requests[0];
    expect(firstEtag).toMatchObject({ ifNoneMatch: undefined, status: 200 });

    // Several polls answered 304, and no change published.
    await eventually(
      async () => (server!.requests.filter((r) => r.status === 304).length >= 3 ? true : undefined),
      {
        what: 'three 304 polls',
      },
    );
    expect(server.requests.slice(1).every((request) => request.ifNoneMatch !== undefined)).toBe(true);
    expect(loaded.version).toBe(1);

    const changes = firstValueFrom(loaded.changes$.pipe(take(1), toArray()));
    server.set({ greeting: { template: 'Two {name}' } });
    const [change] = await changes;
    expect(change).toMatchObject({
      version: 2,
      changed: ['greeting.template'],
      source: `http:${server.url}`,
    });
    expect(loaded.explain('greeting.template')).toMatchObject({
      source: `http:${server.url}`,
      origin: { url: server.url },
    });
  });

  it('reports a failed poll on errors$ once and keeps polling; close stops it', async () => {
    server = await startConfigServer({ greeting: { template: 'One {name}' } });
    const source = httpJson({ url: server.url, intervalMs: 5 });
    const loaded = await loadConfig({ schema: Schema, sources: [source] });
    config = loaded as unknown as Config<unknown>;

    const errors: ConfigError[] = [];
    loaded.errors$.subscribe((error) => errors.push(error));
    server.set([] as unknown as Record<string, unknown>); // a document that is not an object
    await eventually(async () => (errors.length >= 1 ? true : undefined), { what: 'a failed poll' });
    expect(errors[0]).toMatchObject({ code: 'PARSE', source: `http:${server.url}` });
    expect(loaded.get('greeting.template')).toBe('One {name}'); // last good config stays

    // Polling goes on: a good document is picked up, and the same failure was reported only once.
    const polls = server.requests.length;
    server.set({ greeting: { template: 'Back {name}' } });
    await eventually(async () => (loaded.get('greeting.template') === 'Back {name}' ? true : undefined), {
      what: 'the repaired document',
    });
    expect(server.requests.length).toBeGreaterThan(polls);
    expect(errors).toHaveLength(1);

    await loaded.close();
    // After close no poll is scheduled (a closed source rejects reads).
    await expect(source.read()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('read rejects with PARSE for a document that is not an object', async () => {
    server = await startConfigServer({});
    server.set([] as unknown as Record<string, unknown>);
    await expect(httpJson({ url: server.url }).read()).rejects.toMatchObject({ code: 'PARSE' });
  });
});

describe('examples/custom-source', () => {
  it('serves from its own endpoint, follows a PUT to it, and exits on SIGTERM', async () => {
    const child = startTs(MAIN, ['--server.port=0', '--interval', '20']);
    const [, url] = await child.waitFor(/listening on (http:\/\/\S+)/);
    const [, endpoint] = await child.waitFor(/config endpoint: (http:\/\/\S+)/);
    const message = async (): Promise<string> =>
      ((await (await fetch(`${url}/hello?name=Ann`)).json()) as { message: string }).message;
    expect(await message()).toBe('Hello Ann, from an HTTP endpoint');

    const [, body, target] = await child.waitFor(/curl -X PUT --data '([^']+)' (\S+)/);
    expect(target).toBe(endpoint);
    expect((await fetch(target as string, { method: 'PUT', body })).status).toBe(200);
    await eventually(async () => ((await message()) === 'Hi Ann' ? true : undefined), {
      what: 'the new greeting',
    });

    expect(await child.stop('SIGTERM')).toMatchObject({ code: 0, signal: null });
    expect(withoutNodeWarnings(child.stderr)).toBe('');
  });
});
