/**
 * A small Nest application over livecfg for nest.test.ts and its child process: a greeting
 * service with `@OnConfigChange` handlers and a controller answering from the live config.
 */
import 'reflect-metadata';
import { Controller, Get, Inject, Injectable, type LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { z } from 'zod';
import type { Config, ConfigChange } from '../../src/index.js';
import { file } from '../../src/index.js';
import {
  InjectConfig,
  type LivecfgModule,
  type LivecfgModuleOptions,
  OnConfigChange,
} from '../../src/integrations/nest/index.js';
import { Schema } from './fixture.js';

type AppConfig = z.infer<typeof Schema>;

/** What the handlers saw, for the tests. */
export interface Calls {
  greeting: string[];
  limit: number[];
  changes: ConfigChange<AppConfig>[];
}

/** Builds the app module around `livecfg` (forRoot or forRootAsync) and a record of handler calls. */
export function appModule(livecfg: ReturnType<typeof LivecfgModule.forRoot>, calls: Calls) {
  @Injectable()
  class Greeter {
    constructor(@InjectConfig() private readonly config: Config<AppConfig>) {}

    greet(): { greeting: string; limit: number; shout: boolean; version: number } {
      return {
        greeting: this.config.get('greeting.template'),
        limit: this.config.get('rateLimit.burst'),
        shout: this.config.get('features.shout'),
        version: this.config.version,
      };
    }

    @OnConfigChange('greeting.template')
    greetingChanged(greeting: string): void {
      calls.greeting.push(greeting);
    }

    @OnConfigChange(['rateLimit', 'burst'])
    async limitChanged(limit: number): Promise<void> {
      calls.limit.push(limit);
      if (limit === 13) throw new Error('unlucky limit');
    }

    @OnConfigChange()
    anyChange(change: ConfigChange<AppConfig>): void {
      calls.changes.push(change);
    }
  }

  @Controller()
  class GreetingController {
    constructor(@Inject(Greeter) private readonly greeter: Greeter) {}

    @Get('greeting')
    greeting() {
      return this.greeter.greet();
    }
  }

  @Module({ imports: [livecfg], providers: [Greeter], controllers: [GreetingController] })
  class AppModule {}

  return AppModule;
}

/** forRoot options for `path`. */
export function options(path: string): LivecfgModuleOptions<typeof Schema> {
  return { schema: Schema, sources: [file(path)] };
}

/** Creates (not yet listening) the express-platform app; startup errors reject instead of aborting. */
export function createApp(
  module: unknown,
  logger: LoggerService | false = false,
): Promise<NestExpressApplication> {
  return NestFactory.create<NestExpressApplication>(module as never, new ExpressAdapter(), {
    logger,
    abortOnError: false,
  });
}

/** A Nest logger keeping every line. */
export class MemoryLogger implements LoggerService {
  readonly lines: { level: string; message: string; context?: string }[] = [];
  log(message: unknown, context?: string) {
    this.lines.push({ level: 'log', message: String(message), context });
  }
  error(message: unknown, ...rest: unknown[]) {
    this.lines.push({ level: 'error', message: String(message), context: rest.at(-1) as string });
  }
  warn(message: unknown, context?: string) {
    this.lines.push({ level: 'warn', message: String(message), context });
  }
}
