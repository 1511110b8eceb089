/** The greeter service's configuration (shared by the Fastify and Nest examples): one zod schema. */
import { z } from 'zod';

export const Schema = z.object({
  server: z
    .object({
      host: z.string().default('127.0.0.1'),
      /** Read at startup; 0 picks a free port. */
      port: z.number().int().min(0).max(65535).default(3000),
    })
    .prefault({}),
  greeting: z
    .object({
      /** `{name}` is replaced by the caller's name. */
      template: z.string().includes('{name}').default('Hello {name}'),
      defaultName: z.string().min(1).default('World'),
    })
    .prefault({}),
  rateLimit: z
    .object({
      /** Sustained requests per second, for all callers together. */
      requestsPerSecond: z.number().positive().default(5),
      /** Requests allowed at once before the rate applies. */
      burst: z.number().int().positive().default(10),
    })
    .prefault({}),
  features: z
    .object({
      /** Upper-case the greeting. */
      shout: z.boolean().default(false),
      /** Add the server time to each response. */
      timestamp: z.boolean().default(false),
    })
    .prefault({}),
});

export type GreeterConfig = z.infer<typeof Schema>;
