/**
 * The parse worker as one self-contained CommonJS script (its formats, `yaml` and `smol-toml`
 * included), started with `new Worker(code, { eval: true })`: no file to find next to the module, so
 * the worker runs inside users' single-file bundles too. The build (tsup.config.ts) replaces this
 * `undefined` with the script; in livecfg's own sources the worker runs `parse-worker.ts` through tsx.
 */
export const workerCode: string | undefined = undefined;
