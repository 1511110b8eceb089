/** The greeter service's configuration (shared by the Fastify and Nest examples): one zod schema. */
import { z } from 'zod';

export const Schema = z.object({
  server: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z
        .number()
        .int()
        .min(0)
        .max(65535)
        .default(3000)
        .describe('Read at startup; 0 picks a free port.'),
    })
    .prefault({}),
  greeting: z
    .object({
      template: z
        .string()
        .includes('{name}')
        .default('Hello {name}')
        .describe("`{name}` is replaced by the caller's name."),
      defaultName: z.string().min(1).default('World'),
    })
    .prefault({}),
  rateLimit: z
    .object({
      requestsPerSecond: z
        .number()
        .positive()
        .default(5)
        .describe('Sustained requests per second, for all callers together.'),
      burst: z
        .number()
        .int()
        .positive()
        .default(10)
        .describe('Requests allowed at once before the rate applies.'),
    })
    .prefault({}),
  features: z
    .object({
      shout: z.boolean().default(false).describe('Upper-case the greeting.'),
      timestamp: z.boolean().default(false).describe('Add the server time to each response.'),
    })
    .prefault({}),
});

export type GreeterConfig = z.infer<typeof Schema>;
