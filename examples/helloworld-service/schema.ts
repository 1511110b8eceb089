/** The helloworld service's configuration: types, defaults and validation in one zod schema. */
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
        .default(8080)
        .describe('0 picks a free port. Changing it while the service runs moves the listener.'),
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
        .default(10)
        .describe('Sustained requests per second, for all callers together.'),
      burst: z
        .number()
        .int()
        .positive()
        .default(20)
        .describe('Requests allowed at once before the rate applies.'),
    })
    .prefault({}),
  features: z
    .object({
      shout: z.boolean().default(false).describe('Upper-case the greeting.'),
      timestamp: z.boolean().default(false).describe('Add the server time to each response.'),
    })
    .prefault({}),
  admin: z
    .object({
      token: z
        .string()
        .min(8)
        .meta({ secret: true })
        .describe(
          'Opens the config inspector at `/config/` (Bearer, or Basic auth password); a secret, always redacted.',
        )
        .optional(),
    })
    .prefault({}),
});

export type HelloConfig = z.infer<typeof Schema>;
