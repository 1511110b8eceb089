/** The `memory()` source: an in-process object replaced with `.update()`, for tests and programmatic layers. */
export { type MemoryOptions, type MemorySource, memory } from './memory.js';
