/**
 * The `Config` facade and `loadConfig()`: the public API over the loader and publishing, its types,
 * override edits, `values()`, and the one redaction service of each config.
 */
export { Config, loadConfig, UNOBSERVED_ERROR_WARNING } from './config.js';
export type * from './types.js';
