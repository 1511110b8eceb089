/** Routes one inspector request: authorize, method, endpoint. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FleetWatch, fleetRows } from '../fleet.js';
import { parsePathText, type ConfigRedaction as Redaction } from '../index.js';
import type { Feed } from './feed.js';
import { COMMON_HEADERS, etagMatches, mountBase, send, sendError, sendJsonEncoded } from './http.js';
import { INSTANCE_ID, instanceView } from './instance.js';
import { renderPage } from './page/render.js';
import type { SchemaFacts } from './schema-facts.js';
import type { SnapshotCache } from './snapshot-cache.js';
import type { AuthorizeDenial, InspectedConfig, InspectorOptions } from './types.js';
import { explanationView, sourcesView } from './views.js';

/** Everything a request needs. */
export interface HandlerContext {
  config: InspectedConfig;
  options: InspectorOptions;
  redaction: Redaction;
  cache: SnapshotCache;
  /** The schema's facts per key, for `/api/explain`. */
  schemaFacts: SchemaFacts;
  feed: Feed;
  title: string;
  /** The service's name on the instance card. */
  service: string;
  /** The fleet watch, with `options.fleet`. */
  fleet: FleetWatch | undefined;
}

type Endpoint = (
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => void | Promise<void>;

const ENDPOINTS: Record<string, Endpoint> = {
  '/': page,
  '/api/config': apiConfig,
  '/api/explain': apiExplain,
  '/api/sources': (context, request, response) =>
    sendJsonEncoded(
      request,
      response,
      200,
      JSON.stringify(sourcesView(context.config.sources(), context.redaction)),
    ),
  '/api/history': (context, request, response) =>
    sendJsonEncoded(request, response, 200, JSON.stringify(context.feed.history())),
  '/api/errors': (context, request, response) =>
    sendJsonEncoded(request, response, 200, JSON.stringify(context.feed.recentErrors())),
  '/api/instance': (context, request, response) => {
    const { version, since } = context.feed.current();
    const body = { ...instanceView(context.service), version, versionSince: since };
    sendJsonEncoded(request, response, 200, JSON.stringify(body));
  },
  '/api/events': events,
  '/api/fleet': apiFleet,
};

/**
 * `GET /api/fleet`: the instances of the service, rejected and behind first (`fleetRows`), from the
 * watch on its prefix; 404 without `options.fleet`, 503 until the first read succeeds.
 */
function apiFleet(context: HandlerContext, request: IncomingMessage, response: ServerResponse): void {
  const { fleet, options } = context;
  if (!fleet || !options.fleet) {
    sendError(
      request,
      response,
      404,
      'NOT_FOUND',
      'no fleet: create the inspector with { fleet: { store, service } }',
    );
    return;
  }
  const error = fleet.lastError ? context.redaction.redactText(fleet.lastError.message) : null;
  if (!fleet.current) {
    sendError(request, response, 503, 'UNAVAILABLE', `the fleet is not read yet${error ? `: ${error}` : ''}`);
    return;
  }
  const body = {
    service: options.fleet.service,
    store: options.fleet.store,
    revision: fleet.current.revision,
    error,
    instances: fleetRows(fleet.current.records),
  };
  sendJsonEncoded(request, response, 200, JSON.stringify(body));
}

/** Handles one request; resolves when the answer is sent (or the stream started). */
export async function handle(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const denial = await authorize(context.options, request);
  if (denial) {
    const message = denial.message ?? (denial.status === 401 ? 'authentication required' : 'forbidden');
    const code = denial.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN';
    sendError(request, response, denial.status, code, message, denial.headers);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendError(request, response, 405, 'METHOD_NOT_ALLOWED', 'the inspector is read-only: use GET or HEAD', {
      allow: 'GET, HEAD',
    });
    return;
  }
  const url = new URL(request.url ?? '/', 'http://inspector.invalid');
  const endpoint = Object.hasOwn(ENDPOINTS, url.pathname) ? ENDPOINTS[url.pathname] : undefined;
  if (!endpoint) {
    sendError(request, response, 404, 'NOT_FOUND', `no such inspector endpoint: ${url.pathname}`);
    return;
  }
  await endpoint(context, request, response, url);
}

/** Runs `authorize`; returns the denial to send, or `undefined` to go on. */
async function authorize(
  options: InspectorOptions,
  request: IncomingMessage,
): Promise<AuthorizeDenial | undefined> {
  if (!options.authorize) return undefined;
  let verdict: boolean | AuthorizeDenial;
  try {
    verdict = await options.authorize(request);
  } catch {
    return { status: 401 };
  }
  if (verdict === true) return undefined;
  if (verdict && typeof verdict === 'object' && (verdict.status === 401 || verdict.status === 403)) {
    return verdict;
  }
  return { status: 403 };
}

function page(context: HandlerContext, request: IncomingMessage, response: ServerResponse): void {
  const { html, csp } = renderPage(context.title, mountBase(request), context.fleet !== undefined);
  send(request, response, 200, html, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
  });
}

function apiConfig(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): void {
  const origins = url.searchParams.has('origins');
  const { version, body, encoded } = context.cache.body(origins);
  // The instance id tells this process's ETags from another's (versions restart at 1).
  const etag = `"${INSTANCE_ID}-${version}${origins ? '-o' : ''}"`;
  const headers = { etag, 'cache-control': 'no-cache', 'x-config-version': String(version) };
  if (etagMatches(request.headers['if-none-match'], etag)) {
    response.writeHead(304, { ...COMMON_HEADERS, ...headers });
    response.end();
    return;
  }
  sendJsonEncoded(request, response, 200, body, { ...headers, vary: 'accept-encoding' }, encoded);
}

/**
 * `GET /api/explain?path=`: the redacted explanation, with the schema's facts of the key (`schema`)
 * and `dropped` when a source sets the key but the validated config does not have it.
 */
async function apiExplain(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const param = url.searchParams.get('path');
  const keys = param === null ? undefined : keysOfParam(param);
  if (!keys) {
    const message = 'give ?path= as a dotted path (server.port) or a JSON array of keys';
    sendError(request, response, 400, 'INVALID_ARGUMENT', message);
    return;
  }
  const explanation = context.config.explain(keys);
  if (explanation.value === undefined && explanation.source === undefined) {
    const message = `${context.redaction.redactText(explanation.path || '(root)')} is not set`;
    sendError(request, response, 404, 'NOT_FOUND', message);
    return;
  }
  const view = explanationView(explanation, keys, context.redaction);
  const schema = await context.schemaFacts.of(keys);
  if (schema) view.schema = schema;
  // A source supplies it, yet the snapshot has no value there: the schema dropped it.
  if (explanation.value === undefined && explanation.source !== undefined) view.dropped = true;
  sendJsonEncoded(request, response, 200, JSON.stringify(view));
}

function events(context: HandlerContext, request: IncomingMessage, response: ServerResponse, url: URL): void {
  const { hub } = context.feed;
  if (hub.closed) {
    sendError(request, response, 503, 'CLOSED', 'the config is closed');
    return;
  }
  if (request.method === 'HEAD') {
    send(request, response, 200, '', { 'content-type': 'text/event-stream; charset=utf-8' });
    return;
  }
  if (hub.full) {
    sendError(request, response, 503, 'TOO_MANY_STREAMS', 'too many open event streams; retry later', {
      'retry-after': '5',
    });
    return;
  }
  const lastEventId = versionOf(request.headers['last-event-id']) ?? versionOf(url.searchParams.get('since'));
  hub.open(response, context.feed.replay(lastEventId));
}

function versionOf(value: string | string[] | null | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === null || !/^\d{1,15}$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** The keys of a `?path=` parameter (dotted or a JSON array), or `undefined` when it cannot be read. */
function keysOfParam(param: string): string[] | undefined {
  try {
    return parsePathText(param);
  } catch {
    return undefined;
  }
}
