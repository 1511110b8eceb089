/**
 * A small model of Consul ACLs for KV: tokens grant `key_prefix` read/write rules; everything not
 * granted falls back to the default policy.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The key prefixes a token may read and write (Consul `key_prefix "<p>" { policy = "read"|"write" }`). */
export interface AclRules {
  /** Prefixes with `key:read` ("" = every key). Write implies read. */
  read?: readonly string[];
  /** Prefixes with `key:write`. */
  write?: readonly string[];
}

/** ACL configuration of the test server. */
export interface AclConfig {
  /** What a request without a matching rule gets (Consul's `acl.default_policy`). */
  defaultPolicy: 'allow' | 'deny';
  /** Known tokens (secret IDs) and their rules. A request without a token is anonymous. */
  tokens: Record<string, AclRules>;
}

/** What a request may do. */
export interface Authorizer {
  canRead(key: string): boolean;
  canWrite(key: string): boolean;
  /** `key:write` on every key under the prefix (needed by `DELETE ?recurse`). */
  canWritePrefix(prefix: string): boolean;
}

const ALLOW_ALL: Authorizer = { canRead: () => true, canWrite: () => true, canWritePrefix: () => true };

/**
 * The request's token, by Consul's priority: `?token=` > `X-Consul-Token` > `Authorization: Bearer <t>`.
 */
export function requestToken(query: URLSearchParams, headers: IncomingHttpHeaders): string | undefined {
  const fromQuery = query.get('token');
  if (fromQuery) return fromQuery;
  const header = headers['x-consul-token'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const [scheme, token] = authorization.trim().split(/\s+/);
    if (scheme === 'Bearer' && token) return token;
  }
  return undefined;
}

/**
 * Resolves a token to an authorizer; `undefined` when the token is unknown ("ACL not found").
 * Without an ACL config every request may do everything (ACLs disabled).
 */
export function authorize(config: AclConfig | undefined, token: string | undefined): Authorizer | undefined {
  if (!config) return ALLOW_ALL;
  if (config.defaultPolicy === 'allow') {
    return token === undefined || Object.hasOwn(config.tokens, token) ? ALLOW_ALL : undefined;
  }
  if (token === undefined) return rulesAuthorizer({});
  if (!Object.hasOwn(config.tokens, token)) return undefined;
  return rulesAuthorizer(config.tokens[token] ?? {});
}

function rulesAuthorizer(rules: AclRules): Authorizer {
  const write = rules.write ?? [];
  const read = [...(rules.read ?? []), ...write];
  return {
    canRead: (key) => read.some((prefix) => key.startsWith(prefix)),
    canWrite: (key) => write.some((prefix) => key.startsWith(prefix)),
    canWritePrefix: (prefix) => write.some((granted) => prefix.startsWith(granted)),
  };
}
