/**
 * `serve`'s options (`--host`, `--port`, `--allow-host`, `--token-file`, `--insecure`, `LIVECFG_TOKEN`),
 * checked before any source is read: a non-loopback `--host` needs a token or `--insecure`.
 */
import { readFileSync } from 'node:fs';
import { isLoopbackHost, parseAuthority } from './serve-guard.js';

/** Where and how `serve` listens. */
export interface ServeOptions {
  host: string;
  port: number;
  /** `--allow-host` entries: more Host header names to answer (`name` or `name:port`). */
  allowHosts: string[];
  /** The bearer token (from `--token-file` or `LIVECFG_TOKEN`), when given. */
  token?: string;
  /** `--insecure`: serve a non-loopback address without a token. */
  insecure: boolean;
}

/** The raw option values `serve` reads. */
export interface ServeValues {
  host?: string;
  port?: string;
  'allow-host'?: string[];
  'token-file'?: string;
  insecure?: boolean;
}

/** The option names that only `serve` takes. */
export const SERVE_ONLY = ['port', 'host', 'allow-host', 'token-file', 'insecure'] as const;

/**
 * Checks `serve`'s options; throws `usage(message)` (exit 2) on a mistake. `env` gives `LIVECFG_TOKEN`;
 * `--token-file` wins over it.
 */
export function parseServeOptions(
  values: ServeValues,
  env: Readonly<Record<string, string | undefined>>,
  usage: (message: string) => Error,
): ServeOptions {
  const host = values.host ?? '127.0.0.1';
  const allowHosts = values['allow-host'] ?? [];
  for (const entry of allowHosts) {
    if (!parseAuthority(entry)) {
      throw usage(`--allow-host takes a host name or address, optionally with :PORT; got "${entry}"`);
    }
  }
  const token = readToken(values['token-file'], env, usage);
  const insecure = values.insecure ?? false;
  if (!isLoopbackHost(host) && token === undefined && !insecure) {
    throw usage(
      `serve --host ${host} would show the configuration to the network without authentication: ` +
        'give a bearer token (--token-file FILE or the LIVECFG_TOKEN variable), or --insecure to serve it anyway',
    );
  }
  return {
    host,
    port: parsePort(values.port, usage),
    allowHosts,
    ...(token === undefined ? {} : { token }),
    insecure,
  };
}

function readToken(
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  usage: (message: string) => Error,
): string | undefined {
  let token: string;
  let from: string;
  if (file !== undefined) {
    try {
      token = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw usage(`cannot read the --token-file ${file} (${code})`);
    }
    from = `the --token-file ${file}`;
  } else if (env.LIVECFG_TOKEN !== undefined) {
    token = env.LIVECFG_TOKEN;
    from = 'LIVECFG_TOKEN';
  } else {
    return undefined;
  }
  token = token.trim();
  if (token === '') throw usage(`${from} is empty: put the bearer token in it`);
  if (/\s/.test(token)) throw usage(`${from} holds whitespace inside the token: give one token`);
  return token;
}

/** `--port`: an integer 0–65535 (0 picks a free port); 7070 when omitted. */
function parsePort(text: string | undefined, usage: (message: string) => Error): number {
  if (text === undefined) return 7070;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw usage(`--port must be an integer from 0 to 65535, got "${text}"`);
  }
  return port;
}
