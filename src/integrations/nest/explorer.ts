/**
 * Finds `@OnConfigChange` methods on singleton providers and controllers once the application has
 * bootstrapped, subscribes each to the config, and unsubscribes them all on shutdown.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Config } from '../../index.js';
import type { Subscription } from '../../rx/index.js';
import { ON_CONFIG_CHANGE, type OnConfigChangeMetadata } from './on-config-change.js';
import { LIVECFG_CONFIG } from './tokens.js';

type Handler = (value: unknown) => unknown;

/** Internal provider of `LivecfgModule`: wires `@OnConfigChange` methods to the config. */
@Injectable()
export class LivecfgChangeExplorer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('livecfg');
  private readonly subscriptions: Subscription[] = [];

  constructor(
    @Inject(LIVECFG_CONFIG) private readonly config: Config,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  /** Subscribes every decorated method (after every provider's onModuleInit). */
  onApplicationBootstrap(): void {
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    const seen = new Set<object>();
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      // Request-scoped and transient instances have no single instance to call.
      if (
        !instance ||
        typeof instance !== 'object' ||
        !wrapper.isDependencyTreeStatic() ||
        seen.has(instance)
      ) {
        continue;
      }
      seen.add(instance);
      const prototype = Object.getPrototypeOf(instance) as object | null;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[name];
        if (typeof method !== 'function') continue;
        const metadata = this.reflector.get<OnConfigChangeMetadata | undefined>(ON_CONFIG_CHANGE, method);
        if (metadata) this.subscribe(instance, name, method as Handler, metadata, wrapper.name);
      }
    }
  }

  /** Unsubscribes every handler before the config closes. */
  onModuleDestroy(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }

  private subscribe(
    instance: object,
    name: string,
    method: Handler,
    metadata: OnConfigChangeMetadata,
    owner: unknown,
  ): void {
    const where = `${String(owner)}.${name}`;
    const call = (value: unknown): void => {
      try {
        const result = method.call(instance, value);
        if (result instanceof Promise) result.catch((error: unknown) => this.report(where, error));
      } catch (error) {
        this.report(where, error);
      }
    };
    const { path, emitCurrent } = metadata;
    const source =
      path === undefined
        ? this.config.changes$
        : this.config.watch(path as readonly string[], { emitCurrent: emitCurrent });
    if (path === undefined && emitCurrent) call(undefined);
    this.subscriptions.push(source.subscribe({ next: call }));
  }

  private report(where: string, error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.logger.error(`@OnConfigChange handler ${where} failed: ${this.config.redactText(text)}`);
  }
}
