/** The `nodeConfig()` preset: the sources node-config would read (config/ files by deployment, host and instance, NODE_CONFIG, custom env vars), in its order. */
export { nodeConfig } from './node-config.js';
export type { NodeConfigEnviron, NodeConfigOptions } from './settings.js';
