/** Tokens and AppRole roles: creation, expiry on the server clock, renewal with a max TTL, access checks. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';

/** Which request paths (relative to the token's namespace, e.g. `secret/data/app`) a token may use. */
export type TokenPolicy = 'root' | { allow: string[] };

/** Options of a token made with `createToken`. */
export interface TokenSpec {
  /** The token string (default: a fresh `hvs.`-style one). */
  id?: string;
  /** Seconds until expiry; 0 = never (like a root token). Default 0. */
  ttl?: number;
  /** Renewal cap, seconds from creation; 0 = none. */
  maxTtl?: number;
  renewable?: boolean;
  /** Default `root`: every path. `{ allow: ['secret/data/app'] }` allows paths starting with these. */
  policy?: TokenPolicy;
  /** The namespace the token lives in (`''` = root). */
  namespace?: string;
  /** `service` (default) or `batch` (not renewable). */
  type?: 'service' | 'batch';
}

/** A live token. */
export interface Token {
  id: string;
  accessor: string;
  policy: TokenPolicy;
  namespace: string;
  createdMs: number;
  creationTtl: number;
  expiresMs: number | undefined;
  maxExpiresMs: number | undefined;
  renewable: boolean;
  type: 'service' | 'batch';
  path: string;
  meta: Record<string, string> | null;
  lastRenewalMs: number | undefined;
}

/** An AppRole role: the credentials that log in, and the tokens it issues. */
export interface AppRoleSpec {
  roleName: string;
  roleId: string;
  secretId: string;
  /** Token TTL in seconds (default 1200). */
  tokenTtl?: number;
  /** Token max TTL in seconds (default 0 = none). */
  tokenMaxTtl?: number;
  policy?: TokenPolicy;
  namespace?: string;
}

/** The token store of the test server. */
export class TokenStore {
  private readonly tokens = new Map<string, Token>();
  private readonly roles = new Map<string, AppRoleSpec>();
  /** How many AppRole logins succeeded. */
  logins = 0;
  /** How many renew-self calls succeeded. */
  renewals = 0;

  constructor(private readonly clock: Clock) {}

  /** Creates a token. */
  create(spec: TokenSpec = {}, extra: Partial<Pick<Token, 'path' | 'meta'>> = {}): Token {
    const now = this.clock.now();
    const type = spec.type ?? 'service';
    const ttl = spec.ttl ?? 0;
    const token: Token = {
      id: spec.id ?? `${type === 'batch' ? 'hvb' : 'hvs'}.${randomBytes(18).toString('base64url')}`,
      accessor: type === 'batch' ? '' : randomBytes(12).toString('base64url'),
      policy: spec.policy ?? 'root',
      namespace: spec.namespace ?? '',
      createdMs: now,
      creationTtl: ttl,
      expiresMs: ttl > 0 ? now + ttl * 1000 : undefined,
      maxExpiresMs: spec.maxTtl ? now + spec.maxTtl * 1000 : undefined,
      renewable: type === 'service' && (spec.renewable ?? ttl > 0),
      type,
      path: extra.path ?? 'auth/token/create',
      meta: extra.meta ?? null,
      lastRenewalMs: undefined,
    };
    this.tokens.set(token.id, token);
    return token;
  }

  /** Revokes a token. */
  revoke(id: string): void {
    this.tokens.delete(id);
  }

  /** Revokes every token except `keep` (e.g. the root token). */
  revokeAllBut(keep: string): void {
    for (const id of [...this.tokens.keys()]) if (id !== keep) this.tokens.delete(id);
  }

  /** The live token with this id; an expired one is revoked and `undefined`. */
  lookup(id: string | undefined): Token | undefined {
    if (id === undefined || id === '') return undefined;
    const token = this.tokens.get(id);
    if (!token) return undefined;
    if (token.expiresMs !== undefined && token.expiresMs <= this.clock.now()) {
      this.tokens.delete(id);
      return undefined;
    }
    return token;
  }

  /** Whether the token may use `path` (relative to the namespace it is used in). */
  allows(token: Token, path: string): boolean {
    if (token.policy === 'root') return true;
    if (path === 'auth/token/lookup-self' || path === 'auth/token/renew-self') return true;
    return token.policy.allow.some((prefix) => path.startsWith(prefix));
  }

  /** Registers an AppRole role. */
  addRole(spec: AppRoleSpec): void {
    this.roles.set(`${spec.namespace ?? ''}\0${spec.roleId}`, spec);
  }

  /** AppRole login: a new token, or the 400 message. */
  login(namespace: string, roleId: unknown, secretId: unknown): Token | string {
    if (typeof roleId !== 'string' || roleId === '') return 'missing role_id';
    const role = this.roles.get(`${namespace}\0${roleId}`);
    if (!role || role.secretId !== secretId) return 'invalid role or secret ID';
    this.logins++;
    return this.create(
      {
        ttl: role.tokenTtl ?? 1200,
        maxTtl: role.tokenMaxTtl ?? 0,
        renewable: true,
        policy: role.policy ?? 'root',
        namespace,
      },
      { path: 'auth/approle/login', meta: { role_name: role.roleName } },
    );
  }

  /**
   * renew-self: extends the TTL by `increment` seconds (default the creation TTL), capped by the
   * max TTL. Returns the new lease duration and a warning when capped, or a 400 message.
   */
  renew(token: Token, increment: number | undefined): { leaseDuration: number; warning?: string } | string {
    if (token.type === 'batch') return 'batch tokens cannot be renewed';
    if (!token.renewable) return 'lease is not renewable';
    const now = this.clock.now();
    let seconds = increment ?? token.creationTtl;
    let warning: string | undefined;
    if (token.maxExpiresMs !== undefined && now + seconds * 1000 > token.maxExpiresMs) {
      const capped = Math.max(0, Math.round((token.maxExpiresMs - now) / 1000));
      const maxTtl = Math.round((token.maxExpiresMs - token.createdMs) / 1000);
      warning = `TTL of "${seconds}s" exceeded the effective max_ttl of "${maxTtl}s"; TTL value is capped accordingly`;
      seconds = capped;
    }
    token.expiresMs = now + seconds * 1000;
    token.lastRenewalMs = now;
    this.renewals++;
    return warning === undefined ? { leaseDuration: seconds } : { leaseDuration: seconds, warning };
  }

  /** The `auth` block of a login or renew answer. */
  authView(token: Token, leaseDuration: number): Record<string, unknown> {
    const policies = token.policy === 'root' ? ['root'] : ['default'];
    return {
      client_token: token.id,
      accessor: token.accessor,
      policies,
      token_policies: policies,
      metadata: token.meta,
      lease_duration: leaseDuration,
      renewable: token.renewable,
      entity_id: randomUUID(),
      token_type: token.type,
      orphan: true,
    };
  }

  /** The `data` of lookup-self. */
  lookupView(token: Token): Record<string, unknown> {
    const now = this.clock.now();
    return {
      accessor: token.accessor,
      creation_time: Math.floor(token.createdMs / 1000),
      creation_ttl: token.creationTtl,
      display_name: token.path === 'auth/approle/login' ? 'approle' : 'token',
      entity_id: '',
      expire_time: token.expiresMs === undefined ? null : new Date(token.expiresMs).toISOString(),
      explicit_max_ttl: 0,
      id: token.id,
      issue_time: new Date(token.createdMs).toISOString(),
      meta: token.meta,
      num_uses: 0,
      orphan: true,
      path: token.path,
      policies: token.policy === 'root' ? ['root'] : ['default'],
      renewable: token.renewable,
      ttl: token.expiresMs === undefined ? 0 : Math.max(0, Math.round((token.expiresMs - now) / 1000)),
      type: token.type,
      ...(token.lastRenewalMs === undefined
        ? {}
        : { last_renewal_time: Math.floor(token.lastRenewalMs / 1000) }),
      ...(token.namespace === '' ? {} : { namespace_path: `${token.namespace}/` }),
    };
  }
}
