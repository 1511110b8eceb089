/** `LivecfgModule`: the dynamic module providing a loaded, live `Config`. */
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { type Config, type LoadOptions, loadConfig } from '../../index.js';
import { bootstrapGuard, GUARDS } from './bootstrap-guard.js';
import { LivecfgChangeExplorer } from './explorer.js';
import { LivecfgLifecycle } from './lifecycle.js';
import type { LivecfgModuleAsyncOptions, LivecfgModuleOptions } from './options.js';
import { LIVECFG_CONFIG, LIVECFG_OPTIONS } from './tokens.js';

/**
 * Loads the config before the application bootstraps (an async provider Nest awaits). If another
 * provider fails to instantiate, Nest gives up without a shutdown hook: the guard closes the config.
 */
const configProvider: Provider = {
  provide: LIVECFG_CONFIG,
  useFactory: async (options: LivecfgModuleOptions, discovery: DiscoveryService) => {
    const { inspector: _inspector, ...loadOptions } = options;
    let config: Config | undefined;
    const guard = await bootstrapGuard(discovery, () => void config?.close());
    config = (await loadConfig(loadOptions as LoadOptions<undefined>)) as Config;
    if (guard.failed) await config.close();
    else guard.follow();
    GUARDS.set(config, guard);
    return config;
  },
  inject: [LIVECFG_OPTIONS, DiscoveryService],
};

function dynamicModule(optionsProvider: Provider, isGlobal: boolean, imports: DynamicModule['imports']) {
  return {
    module: LivecfgModule,
    global: isGlobal,
    imports: [DiscoveryModule, ...(imports ?? [])],
    providers: [optionsProvider, configProvider, LivecfgLifecycle, LivecfgChangeExplorer],
    exports: [LIVECFG_CONFIG, LIVECFG_OPTIONS],
  } satisfies DynamicModule;
}

/**
 * The livecfg module: `Config` (typed where you inject it), `@OnConfigChange` handlers, rejected
 * reloads logged through Nest's `Logger`, the optional inspector, and `close()` on shutdown.
 *
 * @example
 * @Module({ imports: [LivecfgModule.forRoot({ schema: Schema, sources: [file('config.yaml')], isGlobal: true })] })
 * export class AppModule {}
 */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is a class with static factories
export class LivecfgModule {
  /** Loads the config from these options (every `loadConfig` option, `inspector`, `isGlobal`). */
  static forRoot(options: LivecfgModuleOptions & { isGlobal?: boolean }): DynamicModule {
    const { isGlobal = false, ...rest } = options;
    return dynamicModule({ provide: LIVECFG_OPTIONS, useValue: rest }, isGlobal, []);
  }

  /** Loads the config from options built by `useFactory` (with `inject`ed providers from `imports`). */
  static forRootAsync(options: LivecfgModuleAsyncOptions): DynamicModule {
    const provider: Provider = {
      provide: LIVECFG_OPTIONS,
      useFactory: options.useFactory as (...args: unknown[]) => unknown,
      inject: options.inject ?? [],
    };
    return dynamicModule(provider, options.isGlobal ?? false, options.imports);
  }
}
