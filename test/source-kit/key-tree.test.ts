import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChangeSetDelta, ConfigData } from '../../src/reader/contract.js';
import type { ConfigError } from '../../src/reader/errors.js';
import type { KeyChange } from '../../src/source-kit/key-change.js';
import { KeyTree } from '../../src/source-kit/key-tree.js';

const describeKey = (key: string) => `key ${key}`;
const tree = () => new KeyTree({ source: 'kv:app/', prefix: 'app/', describe: describeKey });
const change = (key: string, value: string | null): KeyChange => ({ key, value, origin: { kvKey: key } });

/** Applies a delta to a plain copy of `data` the way a loader would: deletes, then sets. */
function patch(data: ConfigData, delta: ChangeSetDelta): ConfigData {
  const copy = structuredClone(data);
  for (const path of delta.deleted) {
    let node = copy as Record<string, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    delete node[path[path.length - 1] as string];
  }
  for (const [path, value] of delta.set) {
    let node = copy as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1] as string] = value;
  }
  return copy;
}

describe('KeyTree', () => {
  it('maps keys to paths, parses JSON values, ignores folders and keys outside the prefix', () => {
    const state = tree().reset([
      change('app/server/port', '8080'),
      change('app/server/host', 'example.org'),
      change('app/list', '[1,2]'),
      change('app/folder/', ''),
      change('other/x', '1'),
    ]);
    expect(state.data).toEqual({ server: { port: 8080, host: 'example.org' }, list: [1, 2] });
    expect(state.origins.lookup(['server', 'port'])).toEqual({ kvKey: 'app/server/port' });
  });

  it('a key that is both a value and a branch is CONFLICT naming both keys, in either order', () => {
    for (const order of [
      ['app/db', 'app/db/host'],
      ['app/db/host', 'app/db'],
    ]) {
      const keys = tree();
      const error = (() => {
        try {
          keys.reset(order.map((key) => change(key, 'x')));
        } catch (e) {
          return e as ConfigError;
        }
        return undefined;
      })();
      expect(error?.code).toBe('CONFLICT');
      expect(error?.message).toContain('key app/db ');
      expect(error?.message).toContain('key app/db/host');
    }
    const keys = tree();
    keys.reset([change('app/db/host', 'h')]);
    expect(() => keys.apply([change('app/db', 'x')])).toThrow(/CONFLICT|sets "db" to a value/);
    // The last good tree stays; removing the clash recovers (rebuilt in full, no delta).
    expect(keys.state().data).toEqual({ db: { host: 'h' } });
    const healed = keys.apply([change('app/db/host', null)]);
    expect(healed.state.data).toEqual({ db: 'x' });
  });

  it('keeps a __proto__ segment as an own data key (the merge reports it as UNSAFE_KEY)', () => {
    const { data } = tree().reset([change('app/a/__proto__/polluted', '1')]);
    const a = data.a as Record<string, unknown>;
    expect(Object.hasOwn(a, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('patches without touching the previous tree, and the delta is net', () => {
    const keys = tree();
    const first = keys.reset([change('app/a/b', '1'), change('app/a/c', '2'), change('app/z', '3')]);
    const frozen = structuredClone(first.data);
    const { state, delta } = keys.apply([
      change('app/a/b', null),
      change('app/a/c', null),
      change('app/a/d', '4'),
      change('app/q', '5'),
      change('app/q', null),
    ]);
    expect(first.data).toEqual(frozen);
    expect(state.data).toEqual({ a: { d: 4 }, z: 3 });
    expect(delta).toEqual({
      set: [[['a', 'd'], 4, { kvKey: 'app/a/d' }]],
      deleted: [
        ['a', 'b'],
        ['a', 'c'],
      ],
    });
    expect(state.data.z).toBe(first.data.z);
  });

  it('property: any sequence of batches patches to exactly what a full rebuild gives', () => {
    const key = fc.constantFrom('app/a', 'app/b', 'app/a/x', 'app/a/y', 'app/c/d/e', 'app/c/f', 'app/g');
    const value = fc.option(fc.constantFrom('1', '"s"', 'text', '{"k":1}', '2'), { nil: null });
    const batch = fc.array(fc.record({ key, value }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 12 }), (batches) => {
        const live = tree();
        const store = new Map<string, string>();
        live.reset([]);
        let published = live.state().data;
        for (const changes of batches) {
          for (const { key: k, value: v } of changes) {
            if (v === null) store.delete(k);
            else store.set(k, v);
          }
          const reference = tree();
          let expected: ReturnType<KeyTree['state']> | undefined;
          try {
            expected = reference.reset([...store].map(([k, v]) => change(k, v)));
          } catch {
            expected = undefined;
          }
          let result: ReturnType<KeyTree['apply']> | undefined;
          try {
            result = live.apply(changes.map((c) => change(c.key, c.value)));
          } catch {
            result = undefined;
          }
          expect(result === undefined).toBe(expected === undefined);
          if (result && expected) {
            expect(result.state.data).toEqual(expected.data);
            expect(result.state.checksum).toBe(expected.checksum);
            if (result.delta) expect(patch(published, result.delta)).toEqual(expected.data);
            published = result.state.data;
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
