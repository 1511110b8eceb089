/** The `flags()` source: command-line flags (`--server.port=9090`) mapped to paths. */
export { type FlagsOptions, flags } from './flags.js';
