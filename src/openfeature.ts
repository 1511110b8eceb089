/**
 * `livecfg/openfeature`: an OpenFeature provider over a live Config. `@openfeature/server-sdk` is an
 * optional peer dependency of livecfg; install it to use this entry (the root entry never loads it).
 */
export * from './integrations/openfeature/index.js';
