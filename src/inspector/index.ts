/**
 * livecfg/inspector: the operator's view of a live config over HTTP. A read-only JSON API, a
 * Server-Sent Events stream of changes and errors, and a self-contained page; every body redacted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FleetWatch } from '../fleet.js';
import { ConfigError } from '../index.js';
import { Feed } from './feed.js';
import { type HandlerContext, handle } from './handler.js';
import { sendError } from './http.js';
import { instanceView } from './instance.js';
import { SchemaFacts } from './schema-facts.js';
import { SnapshotCache } from './snapshot-cache.js';
import type { InspectedConfig, Inspector, InspectorOptions, Next } from './types.js';

export type {
  AuthorizeDenial,
  InspectedConfig,
  Inspector,
  InspectorOptions,
  Next,
} from './types.js';

/** The config's redaction service, with the `secrets` option's extra paths when given. */
function secretsOption(config: InspectedConfig, paths: InspectorOptions['secrets']) {
  try {
    return config.redaction.withSecrets(paths ?? []);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError('INVALID_ARGUMENT', `inspector: ${message}`);
  }
}

function positiveInteger(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError('INVALID_ARGUMENT', `inspector: ${name} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}

/**
 * The inspector's request handler for a config: `GET /` (the page), `/api/config`, `/api/explain?path=`,
 * `/api/sources`, `/api/history`, `/api/errors`, `/api/instance` and `/api/events` (SSE), relative to
 * where it is mounted.
 *
 * @example
 * import { inspector } from 'livecfg/inspector';
 * http.createServer(inspector(config, { authorize: (req) => req.headers.authorization === `Bearer ${token}` }))
 *   .listen(7070, '127.0.0.1');
 * // or: app.use('/config', inspector(config))   (express, connect; fastify via @fastify/middie)
 */
export function inspector(config: InspectedConfig, options: InspectorOptions = {}): Inspector {
  const redaction = secretsOption(config, options.secrets);
  const feed = new Feed(
    config,
    redaction,
    positiveInteger('history', options.history, 100, 0),
    {
      maxStreams: positiveInteger('maxStreams', options.maxStreams, 100, 0),
      heartbeatMs: positiveInteger('heartbeatMs', options.heartbeatMs, 15_000, 1),
    },
    instanceView('').startedAt,
  );
  const title = options.title ?? 'livecfg inspector';
  const fleet = options.fleet ? new FleetWatch(options.fleet) : undefined;
  if (fleet) config.changes$.subscribe({ complete: () => fleet.close() });
  const context: HandlerContext = {
    fleet,
    config,
    options,
    redaction,
    cache: new SnapshotCache(config, redaction),
    schemaFacts: new SchemaFacts(config, redaction),
    feed,
    title,
    service: options.service ?? title,
  };
  const handler = (request: IncomingMessage, response: ServerResponse, next?: Next): void => {
    handle(context, request, response).catch((error: unknown) => {
      if (next) {
        next(error);
        return;
      }
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendError(request, response, 500, 'INTERNAL', 'the inspector failed to answer');
    });
  };
  return Object.defineProperties(handler, {
    streams: { get: () => feed.hub.size, enumerable: true },
    close: {
      value: () => {
        feed.close();
        fleet?.close();
      },
      enumerable: true,
    },
  }) as Inspector;
}
