/**
 * The `livecfg` command: print, get, explain, validate, watch, serve, encrypt, put, fleet and schema,
 * over the same sources and redaction as the library. `runCli` is the whole of it.
 */
export { runCli } from './main.js';
