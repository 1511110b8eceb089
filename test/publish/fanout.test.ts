import { afterEach, describe, expect, it } from 'vitest';
import { type Config, loadConfig, memory } from '../../src/index.js';
import { PathFanout } from '../../src/publish/fanout.js';
import { watchFor } from '../helpers/watch.js';

const N = 10_000;

function tree(changedIndex = -1): Record<string, unknown> {
  const keys: Record<string, unknown> = {};
  for (let index = 0; index < N; index++) keys[`k${index}`] = index === changedIndex ? -1 : index;
  return { keys, other: 0 };
}

let config: Config | undefined;
afterEach(async () => {
  await config?.close();
  config = undefined;
});

describe('fan-out with 10,000 subscribers on distinct keys', () => {
  it('one changed key calls only its own subscriber (and its ancestors)', async () => {
    const source = memory(tree());
    config = await loadConfig({ sources: [source] });
    const calls = new Map<string, unknown[]>();
    const subscriptions = [];
    for (let index = 0; index < N; index++) {
      const path = `keys.k${index}`;
      subscriptions.push(
        config.watch(path, { emitCurrent: false }).subscribe((value) => {
          const list = calls.get(path) ?? [];
          list.push(value);
          calls.set(path, list);
        }),
      );
    }
    const parent: unknown[] = [];
    const root: unknown[] = [];
    subscriptions.push(config.watch('keys', { emitCurrent: false }).subscribe((value) => parent.push(value)));
    subscriptions.push(
      config.watch(undefined, { emitCurrent: false }).subscribe((value) => root.push(value)),
    );

    source.update(tree(4242));
    await watchFor(config, 'keys.k4242', -1);
    expect([...calls]).toEqual([['keys.k4242', [-1]]]);
    expect(parent).toHaveLength(1);
    expect(root).toHaveLength(1);

    // Barrier on a key outside `keys`: no subscriber under `keys` is called.
    source.update({ ...tree(4242), other: 1 });
    await watchFor(config, 'other', 1);
    expect(calls.size).toBe(1);
    expect(parent).toHaveLength(1);
    expect(root).toHaveLength(2);
    for (const subscription of subscriptions) subscription.unsubscribe();
  });

  it('PathFanout.publish reads only the changed path, not every watched path', () => {
    const fanout = new PathFanout();
    const initial = tree();
    const keys = initial.keys as Record<string, unknown>;
    let called = 0;
    for (let index = 0; index < N; index++) {
      fanout.add(['keys', `k${index}`], keys[`k${index}`], () => called++);
    }
    expect(fanout.size).toBe(N);
    let reads = 0;
    const next = tree(7);
    const counted = new Proxy(next.keys as Record<string, unknown>, {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    fanout.publish({ ...next, keys: counted }, [['keys', 'k7']]);
    expect(called).toBe(1);
    expect(reads).toBeLessThanOrEqual(2);
  });

  it('unsubscribing removes the path from the index', () => {
    const fanout = new PathFanout();
    const removers = Array.from({ length: 100 }, (_, index) =>
      fanout.add(['keys', `k${index}`], index, () => {}),
    );
    const again = fanout.add(['keys', 'k0'], 0, () => {});
    for (const remove of removers) remove();
    expect(fanout.size).toBe(1);
    again();
    expect(fanout.size).toBe(0);
    // Removing twice is harmless.
    again();
    expect(fanout.size).toBe(0);
  });
});
