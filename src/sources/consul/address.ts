/** Where the Consul source connects: options first, then `CONSUL_HTTP_ADDR` / `CONSUL_HTTP_TOKEN`. */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../reader/errors.js';
import type { TlsOptions } from '../../source-kit/http-client.js';

/** A resolved Consul HTTP endpoint. */
export interface ConsulAddress {
  host: string;
  port: number;
  secure: boolean;
  /** The ACL token, if any. */
  token?: string;
}

/** The connection options a user may give (all optional). */
export interface ConsulAddressOptions {
  host?: string;
  port?: number;
  secure?: boolean;
  token?: string;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 8500;

/**
 * Parses `CONSUL_HTTP_ADDR` as Consul's own tools accept it: `host`, `host:port`, `[v6]:port`, or
 * `http(s)://host[:port]`. A port-less `https://` address uses 443.
 *
 * @example
 * parseConsulHttpAddr('https://consul.internal:8501'); // { host: 'consul.internal', port: 8501, secure: true }
 */
export function parseConsulHttpAddr(text: string): Omit<ConsulAddress, 'token'> {
  const trimmed = text.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    const match = /^(\[[^\]]+\]|[^:/\s]+)(?::(\d{1,5}))?$/.exec(trimmed);
    if (!match) throw invalid(text, 'not a host, host:port or http(s) URL');
    const port = match[2] === undefined ? DEFAULT_PORT : Number(match[2]);
    return { host: unbracket(match[1] ?? ''), port, secure: false };
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch (cause) {
    throw invalid(text, 'not a host, host:port or http(s) URL', cause);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(text, `the ${url.protocol}// scheme is not supported (use http:// or https://)`);
  }
  if (url.hostname === '') throw invalid(text, 'no host');
  const secure = url.protocol === 'https:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  return { host: unbracket(url.hostname), port, secure };
}

function unbracket(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

function invalid(text: string, reason: string, cause?: unknown): ConfigError {
  return new ConfigError('INVALID_ARGUMENT', `consul: CONSUL_HTTP_ADDR=${JSON.stringify(text)}: ${reason}`, {
    cause,
  });
}

/**
 * Resolves the endpoint: explicit options win; the environment fills what they leave out
 * (`CONSUL_HTTP_ADDR`, `CONSUL_HTTP_SSL=true`, `CONSUL_HTTP_TOKEN`); else `127.0.0.1:8500` over http.
 * An explicit `host` without `port` uses 8500, not the environment's port.
 */
export function resolveConsulAddress(
  options: ConsulAddressOptions,
  environ: () => Record<string, string | undefined>,
): ConsulAddress {
  const env = environ();
  const fromEnv = env.CONSUL_HTTP_ADDR ? parseConsulHttpAddr(env.CONSUL_HTTP_ADDR) : undefined;
  const envSecure = fromEnv?.secure || /^(1|true)$/i.test(env.CONSUL_HTTP_SSL ?? '');
  const host = options.host ?? fromEnv?.host ?? DEFAULT_HOST;
  const port = options.port ?? (options.host === undefined ? fromEnv?.port : undefined) ?? DEFAULT_PORT;
  const secure = options.secure ?? (options.host === undefined ? envSecure : false);
  const token = options.token ?? (env.CONSUL_HTTP_TOKEN || undefined);
  return token === undefined ? { host, port, secure } : { host, port, secure, token };
}

/** `http://host:port` for messages (IPv6 hosts in brackets). */
export function formatAddress(address: ConsulAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${address.secure ? 'https' : 'http'}://${host}:${address.port}`;
}

/** TLS material a user may give: PEM text or Buffers. */
export interface ConsulTlsOptions {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

/**
 * TLS settings: each of `ca`, `cert`, `key` from the option, else from the file named by
 * `CONSUL_CACERT`, `CONSUL_CLIENT_CERT`, `CONSUL_CLIENT_KEY` (read once, now). `undefined` when none is set.
 * A file that cannot be read is an `INVALID_ARGUMENT` error naming the variable and the file.
 */
export function resolveConsulTls(
  options: ConsulTlsOptions,
  environ: () => Record<string, string | undefined>,
): TlsOptions | undefined {
  const env = environ();
  const pick = (given: string | Buffer | undefined, variable: string): string | Buffer | undefined => {
    if (given !== undefined) return given;
    const path = env[variable];
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (cause) {
      throw new ConfigError(
        'INVALID_ARGUMENT',
        `consul: cannot read ${variable}=${path}: ${(cause as Error).message}`,
        { cause },
      );
    }
  };
  const ca = pick(options.ca, 'CONSUL_CACERT');
  const cert = pick(options.cert, 'CONSUL_CLIENT_CERT');
  const key = pick(options.key, 'CONSUL_CLIENT_KEY');
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  };
}
