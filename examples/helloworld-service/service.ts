/**
 * go-micro's helloworld as a plain node:http service, configured live by livecfg: the greeting,
 * the listening address, the rate limit and the feature flags all follow the config without a restart.
 * The operator's view (livecfg/inspector) is mounted at `/config/`, behind the `admin.token`.
 * Shared by the file (./main.ts), Consul (../consul) and custom-source (../custom-source) examples.
 */

import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../src/index.js'; // in your project: from 'livecfg'
import { type AuthorizeDenial, type Inspector, inspector } from '../../src/inspector/index.js'; // 'livecfg/inspector'
import type { HelloConfig } from './schema.js';

/** A running service. */
export interface HelloService {
  /** The URL it currently listens on (changes when `server.port` or `server.host` changes). */
  readonly url: string;
  /** Stops accepting, lets requests in flight finish (up to 5 s), closes the listener. */
  close(): Promise<void>;
}

export type Log = (line: string) => void;

/**
 * A token bucket for all callers together: `burst` requests at once, then `requestsPerSecond`.
 * New limits start with a full bucket.
 */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(
    private rate: number,
    private burst: number,
  ) {
    this.tokens = burst;
  }

  configure(rate: number, burst: number): void {
    this.rate = rate;
    this.burst = burst;
    this.tokens = burst;
    this.last = performance.now();
  }

  /** Takes a token; returns 0 when allowed, else the seconds to wait. */
  take(): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.rate;
  }
}

/** Closes a server gracefully: no new connections, idle ones closed, busy ones after `graceMs`. */
export function closeServer(server: Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function urlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** What a request gets back. */
interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Routes one request. Reads the current config every time, so a change applies to the next request. */
function route(config: Config<HelloConfig>, bucket: TokenBucket, request: IncomingMessage): Reply {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/healthz') return { status: 200, body: { ok: true } };

  const wait = bucket.take();
  if (wait > 0) {
    return {
      status: 429,
      body: { error: 'rate limited' },
      headers: { 'retry-after': String(Math.ceil(wait)) },
    };
  }

  if (url.pathname === '/hello' && request.method === 'GET') {
    const { greeting, features } = config.value;
    const name = url.searchParams.get('name') || greeting.defaultName;
    let message = greeting.template.replaceAll('{name}', name);
    if (features.shout) message = message.toUpperCase();
    const body: Record<string, string> = { message };
    if (features.timestamp) body.time = new Date().toISOString();
    return { status: 200, body };
  }

  return { status: 404, body: { error: 'not found', try: '/hello?name=Alice' } };
}

/**
 * Whether a request may see the operator's view: `Authorization: Bearer <admin.token>` (scripts) or
 * Basic auth with any user name and the token as password (the browser asks for it). Without an
 * `admin.token` in the config, nobody may.
 */
export function authorizeAdmin(
  config: Config<HelloConfig>,
  request: IncomingMessage,
): true | AuthorizeDenial {
  const token = config.get('admin.token');
  if (!token) return { status: 403, message: 'set admin.token to open the config inspector' };
  const header = request.headers.authorization ?? '';
  const [scheme = '', credentials = ''] = header.split(' ');
  const given =
    scheme.toLowerCase() === 'bearer'
      ? credentials
      : scheme.toLowerCase() === 'basic'
        ? Buffer.from(credentials, 'base64').toString('utf8').split(':').slice(1).join(':')
        : '';
  const expected = Buffer.from(token);
  const actual = Buffer.from(given);
  if (actual.length === expected.length && timingSafeEqual(actual, expected)) return true;
  return { status: 401, headers: { 'www-authenticate': 'Basic realm="helloworld config", charset="UTF-8"' } };
}

/** `/config` and everything below it go to the inspector (the operator's view), mounted there. */
const INSPECTOR_PREFIX = '/config';

function handler(config: Config<HelloConfig>, bucket: TokenBucket, operatorView: Inspector) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const path = (request.url ?? '/').split('?')[0] as string;
    if (path === INSPECTOR_PREFIX || path.startsWith(`${INSPECTOR_PREFIX}/`)) {
      // Mount it the way express and connect do: the rest of the URL in req.url, all of it in originalUrl.
      const originalUrl = request.url ?? '/';
      const rest = originalUrl.slice(INSPECTOR_PREFIX.length);
      Object.assign(request, { originalUrl, url: rest.startsWith('/') ? rest : `/${rest}` });
      operatorView(request, response);
      return;
    }
    const { status, body, headers } = route(config, bucket, request);
    response.writeHead(status, {
      'content-type': 'application/json',
      'x-config-version': String(config.version),
      ...headers,
    });
    response.end(`${JSON.stringify(body)}\n`);
  };
}

/**
 * Starts the service on `server.host:server.port` and keeps it in step with the config: a new
 * address starts a new listener first and only then closes the old one (gracefully), so no request
 * is refused during the move; a new address that cannot be bound is logged and the old one stays.
 */
export async function startService(
  config: Config<HelloConfig>,
  log: Log = console.log,
): Promise<HelloService> {
  const { rateLimit } = config.value;
  const bucket = new TokenBucket(rateLimit.requestsPerSecond, rateLimit.burst);
  const operatorView = inspector(config, {
    title: 'helloworld · config',
    authorize: (request) => authorizeAdmin(config, request),
  });
  const handle = handler(config, bucket, operatorView);

  let server = createServer(handle);
  await listen(server, config.value.server.host, config.value.server.port);
  log(`listening on ${urlOf(server)}`);

  let closed = false;
  let moves = Promise.resolve();
  const move = async (host: string, port: number): Promise<void> => {
    if (closed) return;
    const next = createServer(handle);
    try {
      await listen(next, host, port);
    } catch (error) {
      log(
        `cannot listen on ${host}:${port} (${(error as Error).message}); still listening on ${urlOf(server)}`,
      );
      return;
    }
    const previous = server;
    const previousUrl = urlOf(previous);
    server = next;
    log(`listening on ${urlOf(server)}`);
    await closeServer(previous);
    log(`closed ${previousUrl}`);
  };

  const subscriptions = [
    config.watch('server', { emitCurrent: false }).subscribe(({ host, port }) => {
      moves = moves.then(() => move(host, port));
    }),
    config.watch('rateLimit', { emitCurrent: false }).subscribe(({ requestsPerSecond, burst }) => {
      bucket.configure(requestsPerSecond, burst);
      log(`rate limit is now ${requestsPerSecond}/s, burst ${burst}`);
    }),
  ];

  return {
    get url() {
      return urlOf(server);
    },
    async close() {
      closed = true;
      operatorView.close(); // ends open event streams, so the listener can close at once
      for (const subscription of subscriptions) subscription.unsubscribe();
      await moves;
      await closeServer(server);
    },
  };
}

/** Logs every published change and every rejected one (the service keeps its last good config). */
export function logConfigActivity(config: Config<HelloConfig>, log: Log = console.log): void {
  config.changes$.subscribe((change) => {
    log(`config v${change.version} from ${change.source}: ${change.changed.join(', ')}`);
  });
  config.errors$.subscribe((error) => {
    log(`config error, keeping v${config.version}: ${error.message.replaceAll('\n', '; ')}`);
  });
}

/**
 * Runs `stop` on the first SIGINT or SIGTERM; a second signal exits at once. Nothing calls
 * `process.exit` on the normal path: once the listener and the config are closed, nothing is left and
 * the process ends by itself.
 */
export function onShutdown(stop: (signal: NodeJS.Signals) => Promise<void>, log: Log = console.log): void {
  const handle = (signal: NodeJS.Signals): void => {
    process.off('SIGINT', handle);
    process.off('SIGTERM', handle);
    process.once('SIGINT', () => process.exit(130));
    process.once('SIGTERM', () => process.exit(143));
    log(`${signal}: shutting down`);
    const started = performance.now();
    stop(signal).then(
      () => log(`stopped in ${Math.round(performance.now() - started)} ms`),
      (error: unknown) => {
        log(`shutdown failed: ${String(error)}`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
