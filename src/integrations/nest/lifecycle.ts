/**
 * Internal provider of `LivecfgModule`: reports rejected reloads through Nest's logger, mounts the
 * optional inspector on the HTTP adapter, and closes the config on application shutdown.
 */
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Config } from '../../index.js';
import type { Subscription } from '../../rx/index.js';
import { createInspector, type Inspector } from '../shared/load-inspector.js';
import { GUARDS } from './bootstrap-guard.js';
import type { LivecfgModuleOptions } from './options.js';
import { LIVECFG_CONFIG, LIVECFG_OPTIONS } from './tokens.js';

/** Normalises a mount path: `config/` → `/config`. */
function mountPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** Internal provider of `LivecfgModule`: the errors log, the inspector mount and the final `close()`. */
@Injectable()
export class LivecfgLifecycle implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('livecfg');
  private readonly errors: Subscription;
  private inspector: Inspector | undefined;

  constructor(
    @Inject(LIVECFG_CONFIG) private readonly config: Config,
    @Inject(LIVECFG_OPTIONS) private readonly options: LivecfgModuleOptions,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {
    // A rejected edit keeps the last good snapshot; say so in the application's log.
    this.errors = config.errors$.subscribe((error) => {
      this.logger.error(`${error.code}: ${error.message}`);
    });
  }

  /** Mounts the inspector (when asked) as middleware of the HTTP adapter, before the 404 handler. */
  async onModuleInit(): Promise<void> {
    // Every instance exists: from now on app.close() closes the config.
    GUARDS.get(this.config)?.adopt();
    const option = this.options.inspector;
    if (!option) return;
    const { path = '/config', ...mountOptions } = option === true ? {} : option;
    const adapter = this.adapterHost?.httpAdapter;
    if (!adapter) {
      this.logger.warn('inspector: no HTTP adapter (an application context?): not mounted');
      return;
    }
    this.inspector = await createInspector(this.config, mountOptions);
    adapter.use(mountPath(path), this.inspector);
  }

  /** Ends the inspector's event streams so the HTTP server can close. */
  beforeApplicationShutdown(): void {
    this.inspector?.close();
  }

  /** Closes the config: every watcher and timer of its sources is released. */
  async onApplicationShutdown(): Promise<void> {
    this.errors.unsubscribe();
    await this.config.close();
  }
}
