/**
 * Moved to `src/source-kit/error-listeners.ts`. This re-export stays only until `file.ts` imports it
 * from the kit (it belongs to another branch); then delete this file.
 */
export { type ErrorListener, ErrorListeners } from '../source-kit/error-listeners.js';
