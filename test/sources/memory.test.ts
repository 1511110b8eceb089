import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { loadConfig, memory } from '../../src/index.js';

describe('memory source', () => {
  it('read() returns the data; update() replaces it', async () => {
    const source = memory({ a: { b: 1 } });
    expect((await source.read()).data).toEqual({ a: { b: 1 } });
    source.update({ a: { b: 2 }, c: 3 });
    const changeSet = await source.read();
    expect(changeSet.data).toEqual({ a: { b: 2 }, c: 3 });
    expect(changeSet.source).toBe('memory');
  });

  it('copies the object: the caller may change it, and loading never freezes it', async () => {
    const initial = { a: { b: 1 }, list: [1] };
    const source = memory(initial);
    const config = await loadConfig({ sources: [source], watch: false });
    expect(Object.isFrozen(initial)).toBe(false);
    expect(Object.isFrozen(initial.a)).toBe(false);
    expect(Object.isFrozen(initial.list)).toBe(false);
    initial.a.b = 99;
    initial.list.push(2);
    expect(config.value).toEqual({ a: { b: 1 }, list: [1] });

    const next = { a: { b: 2 } };
    source.update(next);
    await config.sync();
    expect(Object.isFrozen(next)).toBe(false);
    expect(Object.isFrozen(next.a)).toBe(false);
    expect(config.value).toEqual({ a: { b: 2 } });
  });

  it('equal content gives an equal checksum, different content a different one', async () => {
    const source = memory({ a: 1, b: 2 });
    const first = (await source.read()).checksum;
    source.update({ b: 2, a: 1 });
    expect((await source.read()).checksum).toBe(first);
    source.update({ a: 1, b: 3 });
    expect((await source.read()).checksum).not.toBe(first);
  });

  it('sync() after update() publishes the new data; an equal update changes nothing', async () => {
    const source = memory({ a: 1 });
    const config = await loadConfig({ sources: [source], watch: false });
    source.update({ a: 2 });
    await config.sync();
    expect(config.value).toEqual({ a: 2 });
    expect(config.version).toBe(2);
    const value = config.value;
    source.update({ a: 2 });
    await config.sync();
    expect(config.version).toBe(2);
    expect(config.value).toBe(value);
  });

  it('a watched memory source publishes update() by itself', async () => {
    const source = memory({ a: 1 }, { name: 'programmatic' });
    const config = await loadConfig({ sources: [source] });
    try {
      const change = firstValueFrom(config.changes$);
      const values = firstValueFrom(config.watch('a').pipe(take(2), toArray()));
      source.update({ a: 2 });
      expect(await change).toMatchObject({ version: 2, changed: ['a'], source: 'programmatic' });
      expect(await values).toEqual([1, 2]);
      expect(config.explain('a')).toMatchObject({ source: 'programmatic', origin: { memory: true } });
    } finally {
      await config.close();
    }
  });

  it('defaults to an empty layer', async () => {
    expect((await memory().read()).data).toEqual({});
  });
});
