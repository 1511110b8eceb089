/** The helloworld service's configuration: types, defaults and validation in one zod schema. */
import { z } from 'zod';

export const Schema = z.object({
  server: z
    .object({
      host: z.string().default('127.0.0.1'),
      /** 0 picks a free port. Changing it while the service runs moves the listener. */
      port: z.number().int().min(0).max(65535).default(8080),
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
      requestsPerSecond: z.number().positive().default(10),
      /** Requests allowed at once before the rate applies. */
      burst: z.number().int().positive().default(20),
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
  admin: z
    .object({
      /** Opens the config inspector at `/config/` (Bearer, or Basic auth password); a secret, always redacted. */
      token: z.string().min(8).meta({ secret: true }).optional(),
    })
    .prefault({}),
});

export type HelloConfig = z.infer<typeof Schema>;
