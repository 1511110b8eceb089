/** `/v1/session/*`: create, renew, destroy, info, list (`agent/session_endpoint.go`). */
import { parseGoDuration } from './duration.js';
import { type ResponseContext, sendError, sendJson, sendMethodNotAllowed, setQueryMeta } from './http.js';
import { MAX_LOCK_DELAY_MS, type SessionSpec, type SessionTable, sessionJson } from './sessions.js';

/** One request to `/v1/session/<op>[/<id>]`. */
export interface SessionRequest {
  readonly method: string;
  /** The path after `/v1/session/`, e.g. `create` or `renew/<id>`. */
  readonly rest: string;
  readBody(): Promise<Buffer>;
  readonly response: ResponseContext;
}

/** Consul's default lock-delay (15 s) and the number below which a numeric LockDelay means seconds. */
const DEFAULT_LOCK_DELAY_MS = 15_000;
const LOCK_DELAY_SECONDS_BELOW = 1000;

const OPERATIONS: Record<string, 'PUT' | 'GET'> = {
  create: 'PUT',
  renew: 'PUT',
  destroy: 'PUT',
  info: 'GET',
  list: 'GET',
};

/** Handles one session request. */
export async function handleSession(
  request: SessionRequest,
  sessions: SessionTable,
  node: string,
  index: () => number,
): Promise<void> {
  const { response } = request;
  const [operation = '', id = ''] = request.rest.split('/');
  const method = OPERATIONS[operation];
  if (method === undefined) return sendError(response, 404, '404 page not found\n');
  if (request.method !== method) return sendMethodNotAllowed(response, request.method, [method]);
  if (operation === 'create') return create(request, sessions, node);
  if (operation === 'list') {
    setQueryMeta(response.res, index());
    return sendJson(response, 200, JSON.stringify(sessions.list().map(sessionJson)));
  }
  if (id === '') return sendError(response, 400, 'Missing session');
  if (operation === 'destroy') {
    sessions.destroy(id);
    return sendJson(response, 200, 'true');
  }
  if (operation === 'renew') {
    const session = sessions.renew(id);
    if (!session) return sendError(response, 404, `Session id '${id}' not found`);
    return sendJson(response, 200, JSON.stringify([sessionJson(session)]));
  }
  const session = sessions.get(id);
  setQueryMeta(response.res, index());
  sendJson(response, 200, JSON.stringify(session ? [sessionJson(session)] : []));
}

async function create(request: SessionRequest, sessions: SessionTable, node: string): Promise<void> {
  const body = (await request.readBody()).toString('utf8').trim();
  let raw: Record<string, unknown> = {};
  if (body !== '') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not an object');
      raw = parsed as Record<string, unknown>;
    } catch (error) {
      return sendError(request.response, 400, `Request decode failed: ${(error as Error).message}`);
    }
  }
  const spec = parseSpec(raw, node, sessions);
  if (typeof spec === 'string') return sendError(request.response, 500, spec);
  const session = sessions.create(spec);
  sendJson(request.response, 200, JSON.stringify({ ID: session.id }));
}

/** The checked session spec, or Consul's error text (an RPC error: HTTP 500). */
function parseSpec(raw: Record<string, unknown>, node: string, sessions: SessionTable): SessionSpec | string {
  const ttl = typeof raw.TTL === 'string' ? raw.TTL : '';
  let ttlMs = 0;
  if (ttl !== '') {
    const parsed = parseGoDuration(ttl);
    if (parsed === undefined) return `time: invalid duration ${JSON.stringify(ttl)}`;
    const { minTtlMs, maxTtlMs } = sessions.settings;
    if (parsed !== 0 && (parsed < minTtlMs || parsed > maxTtlMs)) {
      return `Invalid Session TTL '${parsed * 1e6}', must be between [${goDuration(minTtlMs)}=${goDuration(maxTtlMs)}]`;
    }
    ttlMs = parsed;
  }
  const behavior = raw.Behavior === undefined || raw.Behavior === '' ? 'release' : raw.Behavior;
  if (behavior !== 'release' && behavior !== 'delete') {
    return `Invalid Behavior setting '${String(behavior)}'`;
  }
  const lockDelayMs = parseLockDelay(raw.LockDelay);
  if (lockDelayMs === undefined) return `time: invalid duration ${JSON.stringify(raw.LockDelay)}`;
  const checks = raw.NodeChecks ?? raw.Checks;
  return {
    name: typeof raw.Name === 'string' ? raw.Name : '',
    node: typeof raw.Node === 'string' && raw.Node !== '' ? raw.Node : node,
    behavior,
    lockDelayMs: Math.min(lockDelayMs, MAX_LOCK_DELAY_MS),
    ttl,
    ttlMs,
    nodeChecks: Array.isArray(checks) ? checks.map(String) : ['serfHealth'],
  };
}

/** `FixupLockDelay`: a string is a Go duration; a number below 1000 is seconds, else nanoseconds. */
function parseLockDelay(value: unknown): number | undefined {
  if (value === undefined || value === null) return DEFAULT_LOCK_DELAY_MS;
  if (typeof value === 'number') return value < LOCK_DELAY_SECONDS_BELOW ? value * 1000 : value / 1e6;
  if (typeof value === 'string') return parseGoDuration(value);
  return undefined;
}

/** Go's `Duration.String` for whole seconds: `10s`, `24h0m0s`. */
function goDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}
