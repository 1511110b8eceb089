import { hostname as osHostname } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/** The process's environment as an object, or a function reading it (read at each `read()`). */
export type NodeConfigEnviron =
  | Readonly<Record<string, string | undefined>>
  | (() => Readonly<Record<string, string | undefined>>);

/** Options of `nodeConfig()`: each overrides what node-config would read from the process. */
export interface NodeConfigOptions {
  /**
   * The config directory, or several (a list, or one string joined with `path.delimiter`, as
   * `NODE_CONFIG_DIR` holds them). Default: `NODE_CONFIG_DIR`, else `./config` (from the cwd).
   */
  dir?: string | readonly string[];
  /**
   * The deployment(s): `production`, or several (`'prod,eu'` or a list), each adding its files.
   * Default: `NODE_CONFIG_ENV`, else `NODE_ENV`, else `development`.
   */
  env?: string | readonly string[];
  /** The instance (`NODE_APP_INSTANCE`): adds `default-{instance}` etc. Default: `NODE_APP_INSTANCE`. */
  instance?: string;
  /** The host name. Default: `HOST`, else `HOSTNAME`, else `os.hostname()`. */
  hostname?: string;
  /** The environment variables (default `process.env`): the settings above, `NODE_CONFIG` and the custom env mapping read them. */
  environ?: NodeConfigEnviron;
  /** The command-line arguments (default `process.argv.slice(2)`): `--NODE_CONFIG={...}`, `--NODE_ENV=…` and the like. */
  argv?: readonly string[];
}

/** What node-config would read, settled: the file order is computed from it. */
export interface NodeConfigSettings {
  dirs: string[];
  envs: string[];
  instance: string | undefined;
  hostname: string;
  environ: () => Readonly<Record<string, string | undefined>>;
  argv: readonly string[];
}

/**
 * The extensions node-config reads, in its order (its parser's `getFilesOrder()`), less the formats
 * livecfg has no parser for (hjson, coffee, iced, cson): within one base name, a later one wins.
 */
export const NODE_CONFIG_EXTENSIONS: readonly string[] = [
  'js',
  'cjs',
  'mjs',
  'ts',
  'json',
  'jsonc',
  'json5',
  'toml',
  'yaml',
  'yml',
  'properties',
  'xml',
];

/** node-config's `--NAME=value` lookup: the first argument starting with it (`undefined` when absent or empty). */
export function argValue(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  const found = argv.find((arg) => arg.startsWith(prefix));
  return found === undefined || found.length === prefix.length ? undefined : found.slice(prefix.length);
}

/** Settles the options as node-config does: an argument `--NAME=…` first, then the variable, then the default. */
export function nodeConfigSettings(options: NodeConfigOptions = {}): NodeConfigSettings {
  const given = options.environ ?? (() => process.env);
  const environ = typeof given === 'function' ? given : () => given;
  const argv = options.argv ?? process.argv.slice(2);
  const vars = environ();
  const param = (name: string): string | undefined => argValue(argv, name) || vars[name] || undefined;
  const envs = listOf(options.env ?? param('NODE_CONFIG_ENV') ?? param('NODE_ENV') ?? 'development', ',');
  const dirs = listOf(options.dir ?? param('NODE_CONFIG_DIR') ?? join(process.cwd(), 'config'), delimiter);
  let hostname = options.hostname ?? param('HOST') ?? param('HOSTNAME');
  if (hostname === undefined) {
    try {
      hostname = osHostname();
    } catch {
      hostname = '';
    }
  }
  return {
    dirs: dirs.map((dir) => resolve(dir)),
    envs,
    instance: options.instance ?? param('NODE_APP_INSTANCE'),
    hostname,
    environ,
    argv,
  };
}

/** A list option: a list as is, a string split on `separator`; empty entries dropped. */
function listOf(value: string | readonly string[], separator: string): string[] {
  const items = typeof value === 'string' ? value.split(separator) : [...value];
  return items.filter((item) => item !== '');
}

/**
 * The base names node-config reads, in its order (its `loadFileConfigs`): default, each deployment,
 * the short host name (and the full one when it differs) alone and with each deployment, local and
 * local-{deployment}; each followed by its `-{instance}` form. A name listed twice (several
 * deployments repeat `local`) takes its last place, as node-config's index does.
 */
export function nodeConfigBaseNames(settings: NodeConfigSettings): string[] {
  const { envs, hostname, instance } = settings;
  const names = ['default', ...envs];
  if (hostname) {
    const short = hostname.split('.')[0] as string;
    for (const env of envs) {
      names.push(short, `${short}-${env}`);
      if (hostname !== short) names.push(hostname, `${hostname}-${env}`);
    }
  }
  for (const env of envs) names.push('local', `local-${env}`);
  const withInstance = names.flatMap((name) => (instance ? [name, `${name}-${instance}`] : [name]));
  return lastOccurrences(withInstance);
}

/**
 * Every file node-config would read, lowest priority first: each base name with each extension in
 * node-config's order, and for one file name, the directories in the order given.
 */
export function nodeConfigFiles(settings: NodeConfigSettings): string[] {
  const fileNames = lastOccurrences(
    nodeConfigBaseNames(settings).flatMap((base) => NODE_CONFIG_EXTENSIONS.map((ext) => `${base}.${ext}`)),
  );
  return fileNames.flatMap((name) => settings.dirs.map((dir) => join(dir, name)));
}

/** The custom environment variable mapping files, in node-config's order. */
export function customEnvironmentFiles(settings: NodeConfigSettings): string[] {
  return NODE_CONFIG_EXTENSIONS.flatMap((ext) =>
    settings.dirs.map((dir) => join(dir, `custom-environment-variables.${ext}`)),
  );
}

/** The items in order, each at the place of its last occurrence. */
function lastOccurrences(items: readonly string[]): string[] {
  const last = new Map<string, number>();
  for (const [index, item] of items.entries()) last.set(item, index);
  return items.filter((item, index) => last.get(item) === index);
}
