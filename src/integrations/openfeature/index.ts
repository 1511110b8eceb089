/** The OpenFeature provider: feature flags read from a live Config through `@openfeature/server-sdk`. */
export { LivecfgProvider, type LivecfgProviderOptions } from './provider.js';
export type { FlagConfig } from './types.js';
