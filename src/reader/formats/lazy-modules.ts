import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
type TomlModule = typeof import('smol-toml');

/**
 * `require` relative to this module (tsup's `shims` give the CommonJS build an `import.meta.url`).
 * Synchronous on purpose: `parseDocument` is synchronous for every caller (files, Consul and etcd keys).
 */
let requireHere: NodeRequire | undefined;
function load(name: string): unknown {
  requireHere ??= createRequire(import.meta.url);
  return requireHere(name);
}

let yaml: YamlModule | undefined;
let toml: TomlModule | undefined;

/**
 * The `yaml` package, loaded on the first YAML document rather than when livecfg is imported
 * (importing it costs ~25-50 ms of cold start that JSON-only services need not pay).
 */
export function yamlModule(): YamlModule {
  yaml ??= load('yaml') as YamlModule;
  return yaml;
}

/** The `smol-toml` package, loaded on the first TOML document (see {@link yamlModule}). */
export function tomlModule(): TomlModule {
  toml ??= load('smol-toml') as TomlModule;
  return toml;
}
