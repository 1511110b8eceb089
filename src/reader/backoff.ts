/**
 * Moved to `src/source-kit/backoff.ts` (the kit owns the one Backoff). This re-export stays only until
 * the loader's SourceWatch imports it from there; then delete this file.
 */
export { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from '../source-kit/backoff.js';
