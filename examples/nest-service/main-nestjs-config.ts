/**
 * The same Nest greeter on @nestjs/config, for bench/nest-coldstart.ts only: it reads config.yaml
 * once at startup with the same schema and cannot reload. Not a recommended setup, a baseline.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import {
  Controller,
  Get,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  Query,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { parse } from 'yaml';
import {
  EXIT_AFTER_LISTEN,
  greet,
  onShutdown,
  printCpuTime,
  splitArgs,
  TokenBucket,
} from '../fastify-service/greeter.js';
import { type GreeterConfig, Schema } from '../fastify-service/schema.js';

const { configFile } = splitArgs(process.argv.slice(2), new URL('config.yaml', import.meta.url));

@Injectable()
class GreeterService {
  private readonly bucket: TokenBucket;

  constructor(@Inject(ConfigService) private readonly config: ConfigService<GreeterConfig, true>) {
    const limit = config.get('rateLimit', { infer: true });
    this.bucket = new TokenBucket(limit.requestsPerSecond, limit.burst);
  }

  hello(name?: string): { message: string; time?: string } {
    if (this.bucket.take() > 0)
      throw new HttpException({ error: 'rate limited' }, HttpStatus.TOO_MANY_REQUESTS);
    const value = {
      greeting: this.config.get('greeting', { infer: true }),
      features: this.config.get('features', { infer: true }),
    } as GreeterConfig;
    return greet(value, name);
  }
}

@Controller()
class GreeterController {
  constructor(@Inject(GreeterService) private readonly greeter: GreeterService) {}

  @Get('hello')
  hello(@Query('name') name?: string) {
    return this.greeter.hello(name);
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({
      ignoreEnvFile: true,
      isGlobal: true,
      load: [() => Schema.parse(parse(readFileSync(configFile, 'utf8')))],
    }),
  ],
  providers: [GreeterService],
  controllers: [GreeterController],
})
class AppModule {}

const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
const config = app.get(ConfigService);
const port = Number(
  process.argv.find((arg) => arg.startsWith('--server.port='))?.split('=')[1] ?? config.get('server.port'),
);
await app.listen(port, config.get('server.host'));
console.log(`listening on ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}`);
if (EXIT_AFTER_LISTEN) {
  printCpuTime();
  await app.close();
} else onShutdown(() => app.close());
