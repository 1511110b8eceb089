/** Schemas of the fleet end-to-end tests: what `put` checks, and one instance's stricter one. */
import { z } from 'zod';

/** The service's schema (the CLI's `--schema test/fleet/schema.ts#Schema`). */
export const Schema = z.object({
  limits: z.object({ max: z.number().int().positive() }),
  db: z.object({ password: z.string().min(1) }),
});

/** A stricter instance: at most 100, and passwords of 12 characters or more. */
export const StrictSchema = z.object({
  limits: z.object({ max: z.number().int().positive().max(100) }),
  db: z.object({ password: z.string().min(12) }),
});
