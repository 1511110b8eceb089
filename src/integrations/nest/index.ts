/**
 * `livecfg/nest`: live, typed configuration for NestJS. `@nestjs/common` and `@nestjs/core` are
 * optional peer dependencies of livecfg; install them (you have them in a Nest app).
 *
 * @example
 * @Module({ imports: [LivecfgModule.forRoot({ schema: Schema, sources: [file('config.yaml')], isGlobal: true })] })
 * export class AppModule {}
 *
 * @Injectable()
 * export class Greeter {
 *   constructor(@InjectConfig() private readonly config: Config<z.infer<typeof Schema>>) {}
 *   greet(name: string) { return `${this.config.get('greeting')} ${name}` }
 *   @OnConfigChange('greeting') changed(greeting: string) { console.log('now', greeting) }
 * }
 */
export { LivecfgModule } from './module.js';
export {
  type ConfigChangeEvent,
  OnConfigChange,
  type OnConfigChangeOptions,
} from './on-config-change.js';
export type { LivecfgModuleAsyncOptions, LivecfgModuleOptions, NestInspectorOptions } from './options.js';
export { InjectConfig, LIVECFG_CONFIG, LIVECFG_OPTIONS } from './tokens.js';
