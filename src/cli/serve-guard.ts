/**
 * `livecfg serve`'s guard, as the inspector's `authorize` hook: the Host header must name the bound
 * address, a loopback name or an `--allow-host` entry (DNS rebinding, 403), and with a token every
 * request must carry `Authorization: Bearer <token>` (401).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { AuthorizeDenial } from '../inspector/index.js';

/** What the guard checks. */
export interface GuardOptions {
  /** The address the server is bound to (`127.0.0.1`, `::1`, `0.0.0.0`, a name…). */
  host: string;
  /** The port it listens on (the real one, when 0 was asked). */
  port: number;
  /** `--allow-host` entries: `name` (any port) or `name:port`. */
  allowHosts: readonly string[];
  /** The bearer token every request must carry, when set. */
  token?: string;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** Whether `host` (an address or a name, IPv6 with or without brackets) is a loopback one. */
export function isLoopbackHost(host: string): boolean {
  const name = unbracket(host.toLowerCase());
  if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '0:0:0:0:0:0:0:1';
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `name[:port]` of a Host header or an `--allow-host` entry, lower-cased; `undefined` when malformed. */
export function parseAuthority(text: string): { name: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^\s:[\]/@]+)(?::(\d{1,5}))?$/i.exec(text.trim());
  if (!match) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && port > 65535) return undefined;
  return { name: unbracket((match[1] as string).toLowerCase()).replace(/\.$/, ''), port };
}

/** The machine's own addresses, for a server bound to every interface (`0.0.0.0`, `::`). */
function ownAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) addresses.add(entry.address.toLowerCase().replace(/%.*$/, ''));
  }
  return addresses;
}

/** Compares two tokens in constant time (both hashed first, so their lengths do not leak either). */
export function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The `authorize` hook for `inspector()`: `true`, or the 403/401 denial to answer.
 *
 * @example
 * inspector(config, { authorize: serveGuard({ host: '0.0.0.0', port: 7070, allowHosts: [], token }) })
 */
export function serveGuard(options: GuardOptions): (request: IncomingMessage) => true | AuthorizeDenial {
  const bound = unbracket(options.host.toLowerCase());
  const allowed = options.allowHosts.map((entry) => parseAuthority(entry));
  const hostAllowed = (header: string | undefined): boolean => {
    const authority = header === undefined ? undefined : parseAuthority(header);
    if (!authority) return false;
    const { name, port = 80 } = authority;
    if (allowed.some((entry) => entry?.name === name && (entry.port ?? port) === port)) return true;
    if (port !== options.port) return false;
    if (isLoopbackHost(name) || name === bound) return true;
    return WILDCARDS.has(bound) && isIP(name) !== 0 && ownAddresses().has(name);
  };
  return (request) => {
    if (!hostAllowed(request.headers.host)) {
      return {
        status: 403,
        message:
          'this Host header is not allowed: use the address serve listens on, localhost, or a name given with --allow-host',
      };
    }
    if (options.token === undefined) return true;
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(request.headers.authorization ?? '');
    if (match && sameToken(match[1] as string, options.token)) return true;
    return {
      status: 401,
      message: 'a bearer token is required (Authorization: Bearer <token>)',
      headers: { 'www-authenticate': 'Bearer realm="livecfg"' },
    };
  };
}
