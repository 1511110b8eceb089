/** The options of `LivecfgModule.forRoot` and `forRootAsync`. */
import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';
import type { LoadOptions, StandardSchemaV1 } from '../../index.js';
import type { InspectorMountOptions } from '../shared/load-inspector.js';

/** The inspector mounted as middleware of the HTTP adapter at `path` (default `/config`). */
export interface NestInspectorOptions extends InspectorMountOptions {
  /** Where to mount it; `authorize` is its guard (mind it outside loopback). */
  path?: string;
}

/** What `forRoot` takes besides `isGlobal`, and what a `forRootAsync` factory returns. */
export type LivecfgModuleOptions<S extends StandardSchemaV1 | undefined = StandardSchemaV1 | undefined> =
  LoadOptions<S> & {
    /** Serve the inspector (`true`: at `/config`). Off by default. */
    inspector?: NestInspectorOptions | boolean;
  };

/** Options of `LivecfgModule.forRootAsync`. */
export interface LivecfgModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** Builds the options (may be async), from the providers named in `inject`. */
  useFactory: (...args: never[]) => LivecfgModuleOptions | Promise<LivecfgModuleOptions>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Register the Config in every module without importing LivecfgModule there. */
  isGlobal?: boolean;
}
