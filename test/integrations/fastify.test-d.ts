/** Types: `fastify.config` is typed by augmenting `LivecfgFastifyTypes` with the schema. */
import Fastify from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import type { Config } from '../../src/index.js';
import livecfg, { type FastifyConfigValue } from '../../src/integrations/fastify/index.js';
import { Schema } from './fixture.js';

declare module '../../src/integrations/fastify/index.js' {
  interface LivecfgFastifyTypes {
    schema: typeof Schema;
  }
}

describe('livecfg/fastify types', () => {
  it('types fastify.config from the augmented schema', () => {
    const app = Fastify();
    expectTypeOf(app.config).toEqualTypeOf<Config<FastifyConfigValue>>();
    expectTypeOf(app.config.get('greeting.template')).toEqualTypeOf<string>();
    expectTypeOf(app.config.get('rateLimit.burst')).toEqualTypeOf<number>();
    expectTypeOf(app.config.get('features')).toEqualTypeOf<{
      readonly shout: boolean;
      readonly timestamp: boolean;
    }>();
    // @ts-expect-error: not a path of the schema
    app.config.get('rateLimit.nope');
    app.config
      .watch('greeting.template')
      .subscribe((greeting) => expectTypeOf(greeting).toEqualTypeOf<string>());
  });

  it('takes loadConfig options plus inspector', () => {
    const app = Fastify();
    app.register(livecfg, {
      schema: Schema,
      sources: [],
      inspector: { prefix: '/config', authorize: () => true },
    });
    // @ts-expect-error: not an option
    app.register(livecfg, { sources: [], bogus: 1 });
  });
});
