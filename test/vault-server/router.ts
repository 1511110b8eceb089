/**
 * Request routing as Vault's `http/handler.go` and `logical.go` do it: faults first, then `/v1/`,
 * method → operation, sealed state, namespace, unauthenticated paths, the token, policies, mounts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock.js';
import { sendEnvelope, sendErrors, sendJson, sendPermissionDenied } from './http.js';
import { handleKv, type KvRequest } from './kv-handler.js';
import type { KvMount } from './kv-store.js';
import type { Token, TokenStore } from './tokens.js';
import type { FaultBody } from './types.js';

/** The mutable fault switches. */
export interface Faults {
  latencyMs: number;
  failures: { remaining: number; status: number; body: FaultBody };
  drops: number;
  sealed: boolean;
}

/** What the router needs from the server. */
export interface RouterState {
  clock: Clock;
  tokens: TokenStore;
  faults: Faults;
  /** The mount and the path inside it, or undefined: `ns1/secret/data/x` → [mount, 'data/x']. */
  mount(namespace: string, path: string): [KvMount, string] | undefined;
  namespaces: readonly string[];
  /** Sleeps `ms` (a tracked, cleared-on-close timer). */
  sleep(ms: number): Promise<void>;
}

const OPERATIONS: Record<string, KvRequest['operation']> = {
  GET: 'read',
  HEAD: 'read',
  LIST: 'list',
  POST: 'update',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

const FAULT_MESSAGES: Record<number, string> = {
  412: 'required index state not present',
  429: 'request path "secret/data": rate limit quota exceeded',
  500: 'internal error',
  502: 'upstream rate limited',
  503: 'Vault is sealed',
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Splits a full path (`ns1/secret/data/x`, after the header was prepended) into namespace and rest. */
function splitNamespace(full: string, namespaces: readonly string[]): [string, string] {
  const sorted = [...namespaces].sort((a, b) => b.length - a.length);
  for (const namespace of sorted) {
    if (full.startsWith(`${namespace}/`)) return [namespace, full.slice(namespace.length + 1)];
  }
  return ['', full];
}

function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers['x-vault-token'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
    return authorization.slice('Bearer '.length).trim();
  }
  return undefined;
}

/** Handles one request. `drop` destroys the connection without an answer. */
export async function route(
  req: IncomingMessage,
  res: ServerResponse,
  state: RouterState,
  drop: () => void,
): Promise<void> {
  const { faults } = state;
  if (faults.latencyMs > 0) await state.sleep(faults.latencyMs);
  if (faults.drops > 0) {
    faults.drops--;
    return drop();
  }
  if (faults.failures.remaining > 0) {
    faults.failures.remaining--;
    return sendFault(res, faults.failures.status, faults.failures.body);
  }
  const url = new URL(req.url ?? '/', 'http://vault.invalid');
  if (!url.pathname.startsWith('/v1/')) return sendErrors(res, 404);
  const method = req.method ?? 'GET';
  let operation = OPERATIONS[method];
  if (operation === undefined) return sendErrors(res, 405);
  const list = url.searchParams.get('list');
  if (operation === 'read' && list !== null) {
    if (!['true', 'false', '1', '0', 't', 'f'].includes(list))
      return sendErrors(res, 400, ['invalid list value']);
    if (list === 'true' || list === '1' || list === 't') operation = 'list';
  }
  const header = req.headers['x-vault-namespace'];
  const headerNs = typeof header === 'string' ? header.replace(/^\/+|\/+$/g, '') : '';
  const rawPath = decodeURIComponent(url.pathname.slice('/v1/'.length));
  const [namespace, path] = splitNamespace(
    headerNs === '' ? rawPath : `${headerNs}/${rawPath}`,
    state.namespaces,
  );
  if (headerNs !== '') res.setHeader('X-Vault-Namespace', headerNs);
  if (path === 'sys/health') return sendHealth(res, faults, url.searchParams, method);
  if (faults.sealed) return sendErrors(res, 503, ['Vault is sealed']);

  const text = await readBody(req);
  let body: Record<string, unknown> = {};
  if (text.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        body = parsed as Record<string, unknown>;
      }
    } catch {
      return sendErrors(res, 400, ['error parsing JSON']);
    }
  }
  if (
    operation === 'patch' &&
    !(req.headers['content-type'] ?? '').startsWith('application/merge-patch+json')
  ) {
    return sendErrors(res, 415, [
      `PATCH requires Content-Type of application/merge-patch+json, provided ${req.headers['content-type'] ?? ''}`,
    ]);
  }
  if (path === 'auth/approle/login') {
    if (operation !== 'update') return sendErrors(res, 405);
    const result = state.tokens.login(namespace, body.role_id, body.secret_id);
    if (typeof result === 'string') return sendErrors(res, 400, [result]);
    return sendEnvelope(res, 200, { auth: state.tokens.authView(result, result.creationTtl) });
  }
  const presented = tokenOf(req);
  const token = state.tokens.lookup(presented);
  if (!token || !inNamespace(token, namespace)) return sendPermissionDenied(res, presented !== undefined);
  if (!state.tokens.allows(token, path)) return sendPermissionDenied(res, false);
  if (path === 'auth/token/lookup-self') {
    if (operation !== 'read' && operation !== 'update') return sendErrors(res, 405);
    return sendEnvelope(res, 200, { data: state.tokens.lookupView(token) });
  }
  if (path === 'auth/token/renew-self') {
    if (operation !== 'update') return sendErrors(res, 405);
    return renewSelf(res, state, token, body.increment);
  }
  const mounted = state.mount(namespace, path);
  if (!mounted) return sendErrors(res, 404, [`no handler for route "${path}". route entry not found.`]);
  const [mount, rest] = mounted;
  handleKv({ operation, rest, query: url.searchParams, body, res }, mount, state.clock);
}

function inNamespace(token: Token, namespace: string): boolean {
  return (
    token.namespace === '' || namespace === token.namespace || namespace.startsWith(`${token.namespace}/`)
  );
}

function renewSelf(res: ServerResponse, state: RouterState, token: Token, raw: unknown) {
  let increment: number | undefined;
  if (typeof raw === 'number') increment = raw;
  else if (typeof raw === 'string') {
    const match = /^(\d+)([smh]?)$/.exec(raw);
    if (!match) return sendErrors(res, 400, ['invalid increment']);
    increment = Number(match[1]) * ({ '': 1, s: 1, m: 60, h: 3600 }[match[2] ?? ''] ?? 1);
  }
  const result = state.tokens.renew(token, increment);
  if (typeof result === 'string') return sendErrors(res, 400, [result]);
  return sendEnvelope(res, 200, {
    auth: state.tokens.authView(token, result.leaseDuration),
    warnings: result.warning === undefined ? null : [result.warning],
  });
}

function sendFault(res: ServerResponse, status: number, body: FaultBody) {
  if (body === 'html') {
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/html');
    res.end(
      `<html><head><title>${status}</title></head><body><h1>${status} Bad Gateway</h1><hr>nginx</body></html>`,
    );
    return;
  }
  if (body === 'empty') {
    res.statusCode = status;
    res.end();
    return;
  }
  if (status === 429) res.setHeader('Retry-After', '1');
  sendErrors(res, status, [FAULT_MESSAGES[status] ?? 'internal error']);
}

function sendHealth(res: ServerResponse, faults: Faults, query: URLSearchParams, method: string) {
  if (method !== 'GET' && method !== 'HEAD') return sendErrors(res, 405);
  const code = (name: string, fallback: number): number | undefined => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    return Number.isInteger(value) ? value : undefined;
  };
  const status = faults.sealed ? code('sealedcode', 503) : code('activecode', 200);
  if (status === undefined) return sendErrors(res, 400);
  const body = {
    initialized: true,
    sealed: faults.sealed,
    standby: false,
    performance_standby: false,
    replication_performance_mode: 'disabled',
    replication_dr_mode: 'disabled',
    server_time_utc: Math.floor(Date.now() / 1000),
    version: '1.16.0',
    enterprise: false,
    ...(faults.sealed ? {} : { cluster_name: 'vault-cluster-test', cluster_id: 'test-cluster' }),
  };
  if (method === 'HEAD') {
    res.statusCode = status;
    res.setHeader('Cache-Control', 'no-store');
    res.end();
    return;
  }
  sendJson(res, status, body);
}
