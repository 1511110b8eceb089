/**
 * The Nest greeter's application module: the greeting service (live config, rate limit resized by
 * `@OnConfigChange`) and its controller. The config module comes from main.ts.
 */
import {
  Controller,
  type DynamicModule,
  Get,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  Query,
} from '@nestjs/common';
import type { Config } from '../../src/index.js'; // in your project: from 'livecfg'
import { InjectConfig, OnConfigChange } from '../../src/integrations/nest/index.js'; // from 'livecfg/nest'
import { greet, TokenBucket } from '../fastify-service/greeter.js';
import type { GreeterConfig } from '../fastify-service/schema.js';

@Injectable()
export class GreeterService {
  private readonly bucket: TokenBucket;

  // With the Nest CLI (emitDecoratorMetadata) `private readonly config: Config<GreeterConfig>` alone is enough.
  constructor(@InjectConfig() private readonly config: Config<GreeterConfig>) {
    this.bucket = new TokenBucket(config.get('rateLimit.requestsPerSecond'), config.get('rateLimit.burst'));
  }

  /** Called on every change of `rateLimit` (not on other keys), unsubscribed on shutdown. */
  @OnConfigChange('rateLimit')
  resize(limit: GreeterConfig['rateLimit']): void {
    this.bucket.configure(limit.requestsPerSecond, limit.burst);
  }

  hello(name?: string): { message: string; time?: string } {
    const wait = this.bucket.take();
    if (wait > 0) throw new HttpException({ error: 'rate limited' }, HttpStatus.TOO_MANY_REQUESTS);
    return greet(this.config.value, name);
  }

  features(): GreeterConfig['features'] {
    return this.config.value.features;
  }
}

@Controller()
export class GreeterController {
  constructor(@Inject(GreeterService) private readonly greeter: GreeterService) {}

  @Get('hello')
  hello(@Query('name') name?: string) {
    return this.greeter.hello(name);
  }

  @Get('features')
  features() {
    return this.greeter.features();
  }
}

/** The app module around a config module (LivecfgModule.forRoot here). */
export function greeterModule(configModule: DynamicModule) {
  @Module({ imports: [configModule], providers: [GreeterService], controllers: [GreeterController] })
  class GreeterModule {}
  return GreeterModule;
}
