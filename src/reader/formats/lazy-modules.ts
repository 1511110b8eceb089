import { ConfigError } from '../errors.js';
import type { Format } from './format.js';

type YamlModule = typeof import('yaml');
type TomlModule = typeof import('smol-toml');

let yaml: YamlModule | undefined;
let toml: TomlModule | undefined;

/**
 * Loads the parser module a format needs (`yaml` for YAML, `smol-toml` for TOML; nothing for JSON and
 * `.env`) on its first use rather than when livecfg is imported: importing `yaml` costs ~25-50 ms of cold
 * start that JSON-only services need not pay. Await it before a synchronous `parseDocument` of that
 * format. The imports are literal `import('yaml')` / `import('smol-toml')` so that bundlers see them.
 */
export async function prepareFormat(format: Format): Promise<void> {
  if (format === 'yaml') yaml ??= await import('yaml');
  else if (format === 'toml') toml ??= await import('smol-toml');
}

/** Whether {@link prepareFormat} has loaded what `format` needs (a synchronous parse can run now). */
export function formatReady(format: Format): boolean {
  if (format === 'yaml') return yaml !== undefined;
  if (format === 'toml') return toml !== undefined;
  return true;
}

function notPrepared(format: Format): ConfigError {
  return new ConfigError(
    'INVALID_ARGUMENT',
    `the ${format} parser is not loaded: await prepareFormat('${format}') before parseDocument`,
  );
}

/** The `yaml` package, once {@link prepareFormat}('yaml') has loaded it. */
export function yamlModule(): YamlModule {
  if (yaml === undefined) throw notPrepared('yaml');
  return yaml;
}

/** The `smol-toml` package, once {@link prepareFormat}('toml') has loaded it. */
export function tomlModule(): TomlModule {
  if (toml === undefined) throw notPrepared('toml');
  return toml;
}
