/** Request routing for the test server: fault injection first, then `/v1/kv/*`, `/v1/session/*` and `/v1/status/leader`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorize, requestToken } from './acl.js';
import { type ResponseContext, sendError, sendJson, sendMethodNotAllowed } from './http.js';
import type { KvState } from './kv-context.js';
import { handleKv } from './kv-handler.js';
import { handleSession } from './session-handler.js';

/** A status the fault injector can answer with, and Consul's message for it. */
export type FaultStatus = 500 | 429 | 503;

/** Consul's own messages for the injected statuses. */
export const FAULT_BODIES: Record<FaultStatus, string> = {
  500: 'No cluster leader',
  429: 'rate limit exceeded, try a different server',
  503: 'rate limit exceeded for KV.Get, try again later',
};

/** Injected faults: latency before each request, and the next N requests failing. */
export interface Faults {
  latencyMs: number;
  failures: { remaining: number; status: FaultStatus; body: string };
}

/** The routing context of one request. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly signal: AbortSignal;
  /** Called once if a blocking query parks. */
  onPark(): void;
}

/** Everything the router needs from the server. */
export interface RouterState extends KvState {
  readonly faults: Faults;
  /** The leader address `/v1/status/leader` reports ("" = no leader). */
  leader(): string;
  /** The agent's node name (sessions are created on it). */
  readonly node: string;
}

const KV_PREFIX = '/v1/kv/';
const SESSION_PREFIX = '/v1/session/';

/** Routes one request. Resolves when the response is written (or the client went away). */
export async function route(context: RouteContext, state: RouterState): Promise<void> {
  const { req, res, signal } = context;
  const acl = state.acl();
  const response: ResponseContext = { res, defaultAclPolicy: acl?.defaultPolicy ?? 'allow' };
  if (state.faults.latencyMs > 0) await delay(state.faults.latencyMs, signal);
  if (signal.aborted) return;
  const { failures } = state.faults;
  if (failures.remaining > 0) {
    failures.remaining--;
    return sendError(response, failures.status, failures.body);
  }

  const url = new URL(req.url ?? '/', 'http://consul.invalid');
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  const method = req.method ?? 'GET';
  if (rawPath.startsWith(KV_PREFIX)) {
    let key: string;
    try {
      key = decodeURIComponent(rawPath.slice(KV_PREFIX.length));
    } catch {
      return sendError(response, 400, `invalid URL escape ${JSON.stringify(rawPath)}`);
    }
    const length = req.headers['content-length'];
    return handleKv(
      {
        method,
        key,
        query: url.searchParams,
        rawQuery: url.search.slice(1),
        token: requestToken(url.searchParams, req.headers),
        contentLength: length === undefined ? undefined : Number(length),
        readBody: () => readBody(req),
        signal,
        onPark: context.onPark,
        response,
      },
      state,
    );
  }
  if (rawPath.startsWith(SESSION_PREFIX)) {
    if (!authorize(state.acl(), requestToken(url.searchParams, req.headers))) {
      return sendError(response, 403, 'ACL not found');
    }
    return handleSession(
      { method, rest: rawPath.slice(SESSION_PREFIX.length), readBody: () => readBody(req), response },
      state.sessions,
      state.node,
      () => state.store.raftIndex,
    );
  }
  if (rawPath === '/v1/status/leader') {
    if (method !== 'GET') return sendMethodNotAllowed(response, method, ['GET']);
    return sendJson(response, 200, JSON.stringify(state.leader()));
  }
  sendError(response, 404, '404 page not found\n');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}
