// The root's file() (one copy of it in the built package: this entry imports the root's build).
import { file } from '../../index.js';
import { checksumText } from '../../reader/checksum.js';
import { BUILTIN_PARSERS, parseWithParser } from '../../reader/formats/index.js';
import type { Origin } from '../../reader/provenance.js';
import { describeEnvOrigin, describeFlagOrigin } from '../../source-kit/origins.js';
import type { Source } from '../../source-kit/source.js';
import { customEnvSource } from './custom-env.js';
import { parserForExtension } from './formats.js';
import {
  argValue,
  customEnvironmentFiles,
  type NodeConfigOptions,
  nodeConfigFiles,
  nodeConfigSettings,
} from './settings.js';

/**
 * The sources node-config would read, in its order (lowest priority first), for `loadConfig({ sources })`:
 * 1. the files of each config directory (`NODE_CONFIG_DIR`, default `./config`): `default`,
 *    `{deployment}`, `{short_hostname}`, `{short_hostname}-{deployment}`, the same for the full host
 *    name, `local`, `local-{deployment}`, each followed by its `-{instance}` form, each in every
 *    extension node-config reads, in its order: `.js .cjs .mjs .ts .json .jsonc .json5 .toml .yaml
 *    .yml .properties .xml` (modules are imported, `.ts` through tsx);
 * 2. `$NODE_CONFIG` (JSON), then `--NODE_CONFIG={...}` from the arguments (when set);
 * 3. `custom-environment-variables.{ext}`: the variables it names, with `__name`/`__format`.
 *
 * Every file is optional and watched: creating `config/local.yaml` while the service runs adds it.
 * Options override what is read from the process (deployment = `NODE_CONFIG_ENV` || `NODE_ENV` ||
 * `development`, several comma-separated; instance = `NODE_APP_INSTANCE`; host = `HOST` ||
 * `HOSTNAME` || `os.hostname()`); an argument `--NODE_ENV=…` wins over the variable, as in node-config.
 * `${NAME}` in files stays literal, as node-config leaves it.
 *
 * @example
 * import { loadConfig } from 'livecfg';
 * import { nodeConfig } from 'livecfg/node-config';
 * const config = await loadConfig({ schema: Schema, sources: nodeConfig() });
 * const staging = nodeConfig({ env: 'staging', dir: ['config', 'config/shared'] });
 */
export function nodeConfig(options: NodeConfigOptions = {}): Source[] {
  const settings = nodeConfigSettings(options);
  const files = nodeConfigFiles(settings).map((path) => {
    const ext = path.slice(path.lastIndexOf('.') + 1);
    return file(path, { optional: true, interpolate: false, parser: parserForExtension(ext) });
  });
  const vars = settings.environ();
  const fromEnv = vars.NODE_CONFIG
    ? [jsonSource('env', 'NODE_CONFIG', () => settings.environ().NODE_CONFIG)]
    : [];
  const fromArgs =
    argValue(settings.argv, 'NODE_CONFIG') === undefined
      ? []
      : [jsonSource('flag', '--NODE_CONFIG', () => argValue(settings.argv, 'NODE_CONFIG'))];
  const customEnv = customEnvironmentFiles(settings).map((path) =>
    customEnvSource(path, path.slice(path.lastIndexOf('.') + 1), settings.environ),
  );
  return [...files, ...fromEnv, ...fromArgs, ...customEnv];
}

/**
 * A JSON document held by a variable (`$NODE_CONFIG`) or an argument (`--NODE_CONFIG=`): read on each
 * `read()` (and `sync()`), never watched. Malformed JSON is a `PARSE` error naming it with the line
 * and column (node-config prints a warning and goes on without it).
 */
function jsonSource(kind: 'env' | 'flag', label: string, text: () => string | undefined): Source {
  const name = `${kind}:${label}`;
  const originBase: Origin = kind === 'env' ? { env: label } : { flag: label };
  return {
    name,
    async read() {
      const body = text() ?? '';
      const context = { source: name, label: `$${label}`.replace('$--', '--'), originBase };
      const { data, origins } = await parseWithParser(body, BUILTIN_PARSERS.json, context, {
        interpolate: false,
      });
      return { data, origins, checksum: checksumText(body), source: name, timestamp: new Date() };
    },
    describeOrigin: kind === 'env' ? describeEnvOrigin : describeFlagOrigin,
  };
}
