/** The `env()` source: environment variables under a prefix, mapped to paths (schema-guided). */
export { type EnvOptions, env } from './env.js';
export type { EnvFile } from './files.js';
