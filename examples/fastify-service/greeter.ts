/**
 * What the Fastify and Nest greeter examples share besides the schema: the greeting itself, a
 * per-process rate limit, argument splitting and signal handling (from the helloworld example).
 */
import { fileURLToPath } from 'node:url';
import type { GreeterConfig } from './schema.js';

export { onShutdown, TokenBucket } from '../helloworld-service/service.js';

/** The response of `GET /hello`: the template filled in, shouted and timestamped per the flags. */
export function greet(
  value: GreeterConfig,
  name?: string,
  now = new Date(),
): { message: string; time?: string } {
  const who = name?.trim() || value.greeting.defaultName;
  let message = value.greeting.template.replaceAll('{name}', who);
  if (value.features.shout) message = message.toUpperCase();
  return value.features.timestamp ? { message, time: now.toISOString() } : { message };
}

/** `--config FILE` picks the YAML file (default: `defaultFile`); every other argument is a config flag. */
export function splitArgs(argv: readonly string[], defaultFile: URL): { configFile: string; rest: string[] } {
  let configFile = fileURLToPath(defaultFile);
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--config') configFile = argv[++index] ?? configFile;
    else if (arg.startsWith('--config=')) configFile = arg.slice('--config='.length);
    else rest.push(arg);
  }
  return { configFile, rest };
}

/** Set by the cold-start benchmark: stop as soon as the service listens. */
export const EXIT_AFTER_LISTEN = process.env.GREETER_EXIT_AFTER_LISTEN === '1';

/** For the cold-start benchmark: the CPU time this process has used so far (all threads, since start). */
export function printCpuTime(): void {
  const { user, system } = process.cpuUsage();
  console.log(`cpu ${((user + system) / 1000).toFixed(1)} ms`);
}

/** Whether to serve the inspector at /config/ (default yes; GREETER_INSPECTOR=0 turns it off). */
export const WITH_INSPECTOR = process.env.GREETER_INSPECTOR !== '0';
