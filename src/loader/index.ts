/**
 * The reload transaction: read every source (with deadlines and resolvers), build the candidate,
 * validate it, and commit it to publishing or reject it whole. What other units use of it:
 */
export { abortError, raceSignal } from './abort.js';
export { buildFull } from './build.js';
export { layerSpecs } from './layer-specs.js';
export { type Bootstrapped, Loader, type LoaderSettings } from './loader.js';
export { readAll } from './read.js';
export { ResolveMemo } from './resolve-memo.js';
export { DEFAULT_RESOLVE_TIMEOUT_MS, ResolverStage } from './resolvers.js';
