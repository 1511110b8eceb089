/**
 * livecfg/node-config: read a node-config project as it is.
 *
 * @example
 * import { loadConfig } from 'livecfg';
 * import { nodeConfig } from 'livecfg/node-config';
 * const config = await loadConfig({ sources: nodeConfig() });
 */
export { type NodeConfigEnviron, type NodeConfigOptions, nodeConfig } from './sources/node-config/index.js';
