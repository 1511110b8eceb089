/** The Consul source cases that run against any Consul: the in-process test server or a real one. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConfigError } from '../../src/reader/errors.js';
import type { ConsulSource } from '../../src/sources/consul/consul.js';
import { type KvTarget, type Recorder, sourceOn, uniquePrefix } from './consul-target.js';

/** How the cases open sources and watches so that the test file can close them afterwards. */
export interface Harness {
  track<T extends ConsulSource>(source: T): T;
  watch(source: ConsulSource): Recorder;
}

/** The cases that run against any Consul: the in-process server, or a real one. */
export function sharedCases(target: () => KvTarget, harness: Harness): void {
  const { track, watch } = harness;
  let prefix: string;
  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await target().delete(prefix, true);
  });
  const open = (options: Parameters<typeof sourceOn>[1]) => track(sourceOn(target(), options));

  it('prefix mode: maps keys below the prefix to paths, parses JSON values, ignores folders', async () => {
    await target().put(`${prefix}server/port`, '8080');
    await target().put(`${prefix}server/host`, 'localhost');
    await target().put(`${prefix}features`, '["a","b"]');
    await target().put(`${prefix}folder/`, '');
    const source = open({ prefix: prefix.slice(0, -1) });
    expect(source.name).toBe(`consul:${prefix}`);
    const change = await source.read();
    expect(change.data).toEqual({ server: { port: 8080, host: 'localhost' }, features: ['a', 'b'] });
    expect(change.source).toBe(source.name);
    expect(change.origins?.lookup(['server', 'port'])).toMatchObject({ consulKey: `${prefix}server/port` });
  });

  it('prefix mode: a missing prefix is an empty layer', async () => {
    expect((await open({ prefix }).read()).data).toEqual({});
  });

  it('key mode: parses the document (format from the extension or the option) with origins', async () => {
    await target().put(`${prefix}app.yaml`, 'server:\n  port: 9090\n');
    await target().put(`${prefix}app`, 'title = "x"\n');
    const yaml = await open({ key: `${prefix}app.yaml` }).read();
    expect(yaml.data).toEqual({ server: { port: 9090 } });
    const origin = yaml.origins?.lookup(['server', 'port']) as Record<string, unknown>;
    expect(origin).toMatchObject({ consulKey: `${prefix}app.yaml`, line: 2 });
    expect(origin.modifyIndex).toBeGreaterThan(0);
    expect((await open({ key: `${prefix}app`, format: 'toml' }).read()).data).toEqual({ title: 'x' });
  });

  it('key mode: a missing key is NOT_FOUND unless optional', async () => {
    const error = await open({ key: `${prefix}none.json` })
      .read()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(`${prefix}none.json`),
    });
    expect((await open({ key: `${prefix}none.json`, optional: true }).read()).data).toEqual({});
  });

  it('watch: a PUT and a DELETE under the prefix each emit the new data', async () => {
    await target().put(`${prefix}a`, '1');
    const source = open({ prefix });
    await source.read();
    const recorder = watch(source);
    await target().put(`${prefix}b`, '2');
    expect((await recorder.next()).data).toEqual({ a: 1, b: 2 });
    await target().delete(`${prefix}a`);
    expect((await recorder.next()).data).toEqual({ b: 2 });
  });

  it('watch: a write under a sibling prefix or an idempotent write does not emit', async () => {
    await target().put(`${prefix}app/port`, '8080');
    const source = open({ prefix: `${prefix}app/` });
    await source.read();
    const recorder = watch(source);
    await target().put(`${prefix}application/port`, '1'); // shares the string prefix "app"
    await target().put(`${prefix}other/port`, '2');
    await target().put(`${prefix}app/port`, ' 8080'); // new index, same data
    await target().put(`${prefix}app/folder/`, ''); // a folder key: new index, same data
    await target().put(`${prefix}app/port`, '8081');
    expect((await recorder.next()).data).toEqual({ port: 8081 });
    expect(recorder.changes).toHaveLength(1);
  });

  it('watch: key mode emits the new document', async () => {
    await target().put(`${prefix}app.json`, '{"level":"info"}');
    const source = open({ key: `${prefix}app.json` });
    await source.read();
    const recorder = watch(source);
    await target().put(`${prefix}app.json`, '{ "level": "info" }');
    await target().put(`${prefix}app.json`, '{"level":"debug"}');
    expect((await recorder.next()).data).toEqual({ level: 'debug' });
    expect(recorder.changes).toHaveLength(1);
  });
}
