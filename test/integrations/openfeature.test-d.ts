/** Types: a Config of any schema is a provider's config, and the provider is an OpenFeature server Provider. */
import { OpenFeature, type Provider } from '@openfeature/server-sdk';
import { describe, expectTypeOf, it } from 'vitest';
import type { Config } from '../../src/index.js';
import { type FlagConfig, LivecfgProvider } from '../../src/openfeature.js';
import type { Schema } from './openfeature-fixture.js';

declare const typed: Config<{ features: { 'new-checkout': boolean } }>;
declare const fromSchema: Config<import('zod').infer<typeof Schema>>;
declare const untyped: Config;

describe('livecfg/openfeature types', () => {
  it('takes a Config of any schema and is a server Provider', () => {
    expectTypeOf(typed).toExtend<FlagConfig>();
    expectTypeOf(fromSchema).toExtend<FlagConfig>();
    expectTypeOf(untyped).toExtend<FlagConfig>();
    expectTypeOf(new LivecfgProvider(typed, { prefix: 'features' })).toExtend<Provider>();
    expectTypeOf(new LivecfgProvider(untyped, { prefix: ['a', 'b.c'] }).runsOn).toEqualTypeOf<'server'>();
    void OpenFeature.setProviderAndWait(new LivecfgProvider(fromSchema));
    // @ts-expect-error: a prefix is a path text or keys
    new LivecfgProvider(typed, { prefix: 5 });
    // @ts-expect-error: not a config
    new LivecfgProvider({ version: 1 });
  });
});
