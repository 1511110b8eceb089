/** Serves a Node `(req, res)` handler (the inspector) under a prefix of a Fastify app. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Inspector } from '../shared/load-inspector.js';

/** Every method: the inspector itself answers 405 to anything but GET and HEAD. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** `/config/` and `config` → `/config`; `/` → `` (the app's root). */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * The request URL as a handler mounted at `mount` sees it (express's `app.use(mount, handler)`):
 * `/config/api/x?a=1` → `/api/x?a=1`, `/config` → `/`, `/config?a` → `/?a`.
 */
export function urlBelowMount(full: string, mount: string): string {
  const rest = full.startsWith(mount) ? full.slice(mount.length) : full;
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

/**
 * Routes `prefix` and `prefix/*` to `handler`, hijacking the reply so the handler writes the raw
 * response (the SSE stream stays open). The handler sees the URL below the mount point in `url` and
 * the full one in `originalUrl`, as under express's `app.use(prefix, handler)`.
 */
export function mountNodeHandler(app: FastifyInstance, prefix: string, handler: Inspector): void {
  const base = normalizePrefix(prefix);
  const serve = (request: FastifyRequest, reply: FastifyReply): void => {
    reply.hijack();
    const raw = request.raw as FastifyRequest['raw'] & { originalUrl?: string };
    const full = raw.url ?? '/';
    // The mount point as routed, with any prefix of an enclosing plugin: `/admin/config/*` → `/admin/config`.
    const route = request.routeOptions.url ?? base;
    const mount = route.endsWith('/*') ? route.slice(0, -2) : route;
    raw.originalUrl = full;
    raw.url = urlBelowMount(full, mount);
    handler(raw, reply.raw, (error) => {
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'application/json' });
      reply.raw.end(JSON.stringify({ error: { code: 'INTERNAL', message: String(error) } }));
    });
  };
  const url = base === '' ? '/' : base;
  app.route({ method: [...METHODS], url, handler: serve });
  app.route({ method: [...METHODS], url: `${base}/*`, handler: serve });
}
