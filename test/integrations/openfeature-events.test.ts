/**
 * livecfg/openfeature events through the real `@openfeature/server-sdk`: editing the YAML file of a
 * running config flips the flag and the client's handler sees `flagsChanged`; a rejected edit and an
 * edit outside the prefix emit nothing; closing the provider unsubscribes from the config.
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { OpenFeature } from '@openfeature/server-sdk';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { LivecfgProvider } from '../../src/openfeature.js';
import { killAll, ROOT, startTs } from '../examples/child.js';
import { next } from '../helpers/watch.js';
import { FLAGS, recordChanges, useFlags, watchedPaths } from './openfeature-fixture.js';

const loadFlags = useFlags();
afterEach(killAll);

const FLIPPED = FLAGS.replace('new-checkout: false', 'new-checkout: true');

describe('LivecfgProvider: ConfigurationChanged', () => {
  it('a flag flips in the running service when the YAML changes, and the client handler sees flagsChanged', async () => {
    const { config, write } = await loadFlags();
    await OpenFeature.setProviderAndWait(new LivecfgProvider(config, { prefix: 'features' }));
    const client = OpenFeature.getClient();
    const changes = recordChanges(client);
    expect(await client.getBooleanValue('new-checkout', true)).toBe(false);

    // The whole file is re-read; only the one flag (and a key outside the prefix) changed.
    await write(FLIPPED.replace('name: shop', 'name: store'));
    const event = await changes.nth(0);
    expect(event.flagsChanged).toEqual(['new-checkout']);
    expect(event.providerName).toBe('livecfg');
    expect(event.metadata).toEqual({ version: config.version });
    expect(await client.getBooleanValue('new-checkout', false)).toBe(true);
    expect((await client.getBooleanDetails('new-checkout', false)).flagMetadata.version).toBe(2);
  });

  it('names every flag that changed, appeared or disappeared, as the key a client passes', async () => {
    const { config, write } = await loadFlags();
    await OpenFeature.setProviderAndWait(new LivecfgProvider(config, { prefix: 'features' }));
    const changes = recordChanges(OpenFeature.getClient());
    await write(
      FLAGS.replace('colors: [red, blue]', 'colors: [red]')
        .replace('"checkout.v2": true', '"checkout.v2": false')
        .replace('  empty:\n', '  fresh: 1\n'),
    );
    const event = await changes.nth(0);
    expect([...(event.flagsChanged ?? [])].sort()).toEqual(['banner', 'checkout.v2', 'empty', 'fresh']);
  });

  it('a rejected edit emits nothing and keeps the old value; an edit outside the prefix emits nothing', async () => {
    const { config, write } = await loadFlags();
    await OpenFeature.setProviderAndWait(new LivecfgProvider(config, { prefix: 'features' }));
    const client = OpenFeature.getClient();
    const changes = recordChanges(client);

    const rejected = next(config.errors$, (error) => error.code === 'VALIDATION');
    await write(FLIPPED.replace('maxItems: 20', 'maxItems: -1'));
    await rejected;
    expect(await client.getBooleanValue('new-checkout', true)).toBe(false);
    expect(await client.getNumberValue('maxItems', 0)).toBe(20);

    const outside = next(config.changes$, (change) => change.changed.includes('service.name'));
    await write(FLAGS.replace('name: shop', 'name: store'));
    await outside;

    // The first event the handler ever receives is the one of the next valid flag edit.
    await write(FLAGS.replace('name: shop', 'name: store').replace('theme: dark', 'theme: light'));
    expect((await changes.nth(0)).flagsChanged).toEqual(['theme']);
    expect(changes.events).toHaveLength(1);
    expect(await client.getStringValue('theme', 'x')).toBe('light');
  });
});

describe('LivecfgProvider: closing', () => {
  it('OpenFeature.close() unsubscribes the provider from the config: no more events', async () => {
    const { config, write } = await loadFlags();
    const before = watchedPaths(config);
    const provider = new LivecfgProvider(config, { prefix: 'features' });
    await OpenFeature.setProviderAndWait(provider);
    expect(watchedPaths(config)).toBe(before + 1);
    await OpenFeature.close();
    expect(watchedPaths(config)).toBe(before);
    const closed = recordChanges(provider.events);

    // A witness watching the same path hears the next change; the closed provider, had it kept its
    // subscription (the earlier one on that path), would have emitted first.
    const witness = new LivecfgProvider(config, { prefix: 'features' });
    await witness.initialize();
    const seen = recordChanges(witness.events);
    await write(FLIPPED);
    expect((await seen.nth(0)).flagsChanged).toEqual(['new-checkout']);
    expect(closed.events).toEqual([]);
    await witness.onClose();
    expect(watchedPaths(config)).toBe(before);
  });

  it('after clearProviders the same provider can be set again, and delivers each event once', async () => {
    const { config, write } = await loadFlags();
    const before = watchedPaths(config);
    const provider = new LivecfgProvider(config, { prefix: 'features' });
    await OpenFeature.setProviderAndWait(provider);
    await provider.initialize(); // a second call does not subscribe twice
    expect(watchedPaths(config)).toBe(before + 1);
    await OpenFeature.clearProviders();
    expect(watchedPaths(config)).toBe(before);

    await OpenFeature.setProviderAndWait(provider);
    const changes = recordChanges(OpenFeature.getClient());
    await write(FLIPPED);
    expect((await changes.nth(0)).flagsChanged).toEqual(['new-checkout']);
    expect(changes.events).toHaveLength(1);
  });

  it('a process using the provider exits by itself, with nothing closed', async () => {
    const child = startTs(join(ROOT, 'test/integrations/openfeature-child.ts'), []);
    const exit = await child.waitExit(15_000);
    expect(exit, child.output).toEqual({ code: 0, signal: null });
    expect(child.stdout).toContain('new-checkout=true');
  });
});

describe('flagsChanged (property)', () => {
  /** A flag value: scalars, null, a small object, an array. */
  const value = fc.oneof(
    fc.boolean(),
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom('a', 'b'),
    fc.constant(null),
    fc.dictionary(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 2 }), { maxKeys: 2 }),
    fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }),
  );
  const flagsTree = fc.dictionary(fc.constantFrom('on', 'new-checkout', 'a.b', 'theme', '0'), value, {
    maxKeys: 4,
  });

  it('lists exactly the keys whose value differs (deep equality), and nothing is emitted when none does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(flagsTree, { minLength: 1, maxLength: 5 }), async (trees) => {
        const config = await loadConfig({ watch: false });
        const provider = new LivecfgProvider(config, { prefix: 'features' });
        await provider.initialize();
        const changes = recordChanges(provider.events);
        let previous: Record<string, unknown> = {};
        try {
          for (const tree of trees) {
            const count = changes.events.length;
            await config.set(['features'], tree);
            expect(config.get('features')).toEqual(tree);
            const keys = [...new Set([...Object.keys(previous), ...Object.keys(tree)])];
            const expected = keys.filter((key) => !isDeepStrictEqual(previous[key], tree[key])).sort();
            const emitted = changes.events
              .slice(count)
              .map((event) => [...(event.flagsChanged ?? [])].sort());
            expect(emitted).toEqual(expected.length === 0 ? [] : [expected]);
            previous = tree;
          }
        } finally {
          await provider.onClose();
          await config.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
