/** Types: the injected `Config<z.infer<typeof Schema>>`, module options and decorators of livecfg/nest. */
import { Injectable } from '@nestjs/common';
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { type Config, file } from '../../src/index.js';
import { InjectConfig, LivecfgModule, OnConfigChange } from '../../src/integrations/nest/index.js';
import { Schema } from './fixture.js';

type AppConfig = z.infer<typeof Schema>;

@Injectable()
class Service {
  constructor(@InjectConfig() readonly config: Config<AppConfig>) {}

  @OnConfigChange('greeting.template')
  changed(greeting: string): void {
    expectTypeOf(greeting).toEqualTypeOf<string>();
  }
}

describe('livecfg/nest types', () => {
  it('types the injected Config from the schema', () => {
    const service = null as unknown as Service;
    expectTypeOf(service.config.get('greeting.template')).toEqualTypeOf<string>();
    expectTypeOf(service.config.get('rateLimit.burst')).toEqualTypeOf<number>();
    expectTypeOf(service.config.value.features).toEqualTypeOf<{
      readonly shout: boolean;
      readonly timestamp: boolean;
    }>();
    // @ts-expect-error: not a path of the schema
    service.config.get('rateLimit.nope');
  });

  it('checks forRoot and forRootAsync options', () => {
    LivecfgModule.forRoot({ schema: Schema, sources: [file('config.yaml')], isGlobal: true });
    LivecfgModule.forRoot({ sources: [], inspector: { path: '/config', authorize: () => true } });
    // @ts-expect-error: not an option
    LivecfgModule.forRoot({ sources: [], bogus: 1 });
    LivecfgModule.forRootAsync({ useFactory: async () => ({ sources: [] }), inject: [], isGlobal: true });
    // @ts-expect-error: the factory must return options
    LivecfgModule.forRootAsync({ useFactory: () => 42 });
    expectTypeOf(InjectConfig()).toExtend<ParameterDecorator>();
  });
});
