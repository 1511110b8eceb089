/** Command-line parsing of the `livecfg` CLI (node:util parseArgs). */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isConfigError } from '../index.js';
import { parsePathText } from '../reader/path.js';
import { compilePattern } from '../reader/redaction/index.js';
import { parseServeOptions, SERVE_ONLY, type ServeOptions } from './serve-args.js';

export const COMMANDS = ['print', 'get', 'explain', 'validate', 'watch', 'serve'] as const;
export type Command = (typeof COMMANDS)[number];

export const OUTPUTS = ['json', 'yaml', 'text'] as const;
export type Output = (typeof OUTPUTS)[number];

/** One source option, in command-line order (later wins). */
export type SourceSpec =
  | { kind: 'file'; path: string }
  | { kind: 'env'; prefix: string }
  | { kind: 'consul'; prefix: string }
  | { kind: 'consul-key'; key: string }
  | { kind: 'etcd'; prefix: string }
  | { kind: 'etcd-key'; key: string };

/** The parsed command line. */
export type CliArgs =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'run';
      command: Command;
      /** The PATH argument of get/explain/watch, as keys. */
      path: string[] | undefined;
      sources: SourceSpec[];
      /** `module#export` of `--schema`. */
      schema: string | undefined;
      secrets: string[];
      showSecrets: boolean;
      /** `--output`, when given. */
      output: Output | undefined;
      /** `serve`: where and how to listen (undefined for other commands). */
      listen: ServeOptions | undefined;
    };

/** A mistake on the command line: printed with the usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The options of the config commands (put reuses the source options and `--schema`, `--secret`). */
export const OPTIONS = {
  file: { type: 'string', short: 'f', multiple: true },
  env: { type: 'string', short: 'e', multiple: true },
  consul: { type: 'string', multiple: true },
  'consul-key': { type: 'string', multiple: true },
  etcd: { type: 'string', multiple: true },
  'etcd-key': { type: 'string', multiple: true },
  schema: { type: 'string', short: 's' },
  secret: { type: 'string', multiple: true },
  'show-secrets': { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'token-file': { type: 'string' },
  insecure: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** How each source option becomes a {@link SourceSpec}. */
export const SOURCE_OPTIONS: Record<string, (value: string) => SourceSpec> = {
  file: (path) => ({ kind: 'file', path }),
  env: (prefix) => ({ kind: 'env', prefix }),
  consul: (prefix) => ({ kind: 'consul', prefix }),
  'consul-key': (key) => ({ kind: 'consul-key', key }),
  etcd: (prefix) => ({ kind: 'etcd', prefix }),
  'etcd-key': (key) => ({ kind: 'etcd-key', key }),
};

export const USAGE = `Usage: livecfg <command> [PATH] [sources] [options]

Commands:
  print              print the merged configuration
  get PATH           print the value at PATH (e.g. server.port)
  explain PATH       show which source set PATH, where, and the values it overrode
  validate           check that every source reads and parses and the schema accepts the result
  watch [PATH]       print each change (changed paths and their sources) until Ctrl-C
  encrypt -r AGE_RECIPIENT [VALUE | -]
                     print ENC[age,...] for VALUE or stdin (livecfg encrypt --help)
  serve              serve the inspector (web page, JSON API, live events) until Ctrl-C
  put KEY [VALUE|-] --store etcd|consul [sources] [--schema S] [--dry-run] [--delete]
                     validate a write against the merged view, then write it with compare-and-swap
                     (exit 1 invalid or KEY under no source, 3 someone wrote in between)
  fleet --store etcd|consul --service NAME [-o json] [--watch] [--wait-revision R --timeout 30s]
                     the instances of a service: what they applied, refused, and their heartbeat
                     (exit 1 when any refused, or --wait-revision timed out)
  schema --schema MODULE#EXPORT [--strict]
                     print the JSON Schema (draft 2020-12) of the schema, for editors (livecfg schema --help)

Sources (repeatable; applied in command-line order, later wins):
  -f, --file FILE        a JSON, YAML, TOML or .env file
  -e, --env PREFIX       environment variables starting with PREFIX ('' for all)
      --consul PREFIX    Consul KV keys below PREFIX (CONSUL_HTTP_ADDR, CONSUL_HTTP_TOKEN)
      --consul-key KEY   one Consul KV key holding a JSON/YAML/TOML document
      --etcd PREFIX      etcd keys below PREFIX (ETCDCTL_ENDPOINTS)
      --etcd-key KEY     one etcd key holding a document

Options:
  -s, --schema MODULE#EXPORT  a Standard Schema (zod, valibot…) exported by MODULE (path from the
                              current directory; default export when #EXPORT is omitted)
      --secret PATH           also redact PATH and below (repeatable; PATH syntax as for get, and
                              * matches one key: tenants.*.dsn, labels."a.b", '["labels","a.b"]')
      --show-secrets          do not redact secrets
  -o, --output FORMAT         json | yaml | text (text: one "path = value" line per leaf; print
                              defaults to json, get to text for a value and json for a branch)
  -p, --port N                serve: the port (default 7070; 0 picks a free one)
      --host HOST             serve: the address (default 127.0.0.1; the API shows your config). A
                              non-loopback HOST needs a token (--token-file or LIVECFG_TOKEN) or --insecure
      --token-file FILE       serve: require Authorization: Bearer <the token in FILE> (or set LIVECFG_TOKEN)
      --allow-host NAME[:PORT]
                              serve: also answer this Host header (repeatable); others than the bound
                              address and localhost get 403 (DNS rebinding)
      --insecure              serve: allow a non-loopback --host without a token
  -h, --help                  this help
  -v, --version               the version

Secrets are redacted by default: keys named like credentials, in any casing or spelling (password,
passwd, pwd, passphrase, secret, token, credentials, apiKey, privateKey, dsn, *key, *keys), paths marked
in the schema with .meta({ secret: true }) or valibot metadata({ secret: true }), a \`secrets\` array
exported next to the schema, --secret paths, values interpolated from secret-named variables
(\${DB_PASSWORD}), and the password of any URL (postgres://user:[redacted]@host). Messages are
redacted too.

Exit codes: 0 ok, 1 configuration error (read, parse, validation) or PATH not set, 2 usage error,
3 (put) the key changed since it was read: nothing written.
`;

/**
 * Parses the arguments after `livecfg`. Throws {@link UsageError}. `env` gives `serve` its
 * `LIVECFG_TOKEN` (default `process.env`).
 */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): CliArgs {
  const { values, positionals, tokens } = parseFlags(argv, OPTIONS);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [name, ...rest] = positionals;
  if (name === undefined) throw new UsageError('missing command');
  if (!(COMMANDS as readonly string[]).includes(name)) {
    // `encrypt` is dispatched before these arguments are parsed (main.ts), but it is a command too.
    throw new UsageError(
      `unknown command "${name}" (expected ${[...COMMANDS, 'encrypt', 'put', 'fleet', 'schema'].join(', ')})`,
    );
  }
  const command = name as Command;
  const takesPath = command === 'get' || command === 'explain' || command === 'watch';
  const pathRequired = command === 'get' || command === 'explain';
  if (pathRequired && rest.length === 0) throw new UsageError(`${command} needs a PATH (e.g. server.port)`);
  if (rest.length > (takesPath ? 1 : 0)) throw new UsageError(`unexpected argument "${rest.at(-1)}"`);

  const output = values.output;
  if (output !== undefined && !(OUTPUTS as readonly string[]).includes(output)) {
    throw new UsageError(`--output must be one of ${OUTPUTS.join(', ')}, got "${output}"`);
  }

  if (command === 'serve' && values['show-secrets']) {
    throw new UsageError('serve never shows secrets (--show-secrets is for print, get, explain and watch)');
  }
  const serveOnly = SERVE_ONLY.filter((option) => values[option] !== undefined);
  if (command !== 'serve' && serveOnly.length > 0) {
    throw new UsageError(`--${serveOnly.join(', --')}: options of serve only`);
  }

  const sources = sourceSpecs(tokens);

  return {
    kind: 'run',
    command,
    path: rest[0] === undefined ? undefined : parsePathArg(rest[0]),
    sources,
    schema: values.schema,
    secrets: (values.secret ?? []).map(checkSecretPath),
    showSecrets: values['show-secrets'] ?? false,
    output: output as Output | undefined,
    listen:
      command === 'serve' ? parseServeOptions(values, env, (message) => new UsageError(message)) : undefined,
  };
}

/** The source options among parsed tokens, in command-line order. */
export function sourceSpecs(
  tokens: readonly { kind: string; name?: string; value?: string | undefined }[],
): SourceSpec[] {
  const sources: SourceSpec[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined || token.name === undefined) continue;
    const make = SOURCE_OPTIONS[token.name];
    if (make) sources.push(make(token.value));
  }
  return sources;
}

/** The option table of {@link parseFlags} (node's parseArgs options). */
export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseFlags} returns: node's parseArgs result for `O`, with positionals and tokens. */
export type ParsedFlags<O extends FlagOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true; tokens: true }>
>;

/**
 * The one flag parser of the CLI's commands (the config commands, `put`, `fleet`): node's parseArgs,
 * strict, with positionals and tokens (the source options' order); a mistake is a {@link UsageError}.
 */
export function parseFlags<const O extends FlagOptions>(argv: readonly string[], options: O): ParsedFlags<O> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** A PATH argument: dotted (`server.port`, `labels."app.kubernetes.io/name"`) or a JSON array of keys. */
export function parsePathArg(text: string): string[] {
  return asUsageError(() => parsePathText(text));
}

/** Checks a `--secret` PATH (the same syntax; `*` is any one key, a quoted `"*"` the key `*`). */
function checkSecretPath(text: string): string {
  asUsageError(() => compilePattern(text));
  return text;
}

function asUsageError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (isConfigError(error) && error.code === 'INVALID_ARGUMENT') throw new UsageError(error.message);
    throw error;
  }
}
