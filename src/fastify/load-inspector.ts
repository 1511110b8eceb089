/**
 * Loads `livecfg/inspector` when a Fastify app asks for it, so the plugin costs nothing to users who
 * do not mount it. The inspector is a Node `(req, res, next?)` handler; only its shape is used here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../index.js';

/** A refusal from `authorize`: the status to answer, with an optional message and headers. */
export interface InspectorDenial {
  status: 401 | 403;
  message?: string;
  headers?: Record<string, string>;
}

/** The inspector's options this integration passes through (see `livecfg/inspector`). */
export interface InspectorMountOptions {
  /**
   * The guard, called for every request before anything is read: `true` lets it through, `false`
   * answers 403, a denial its status, a throw 401. May be async.
   */
  authorize?(request: IncomingMessage): boolean | InspectorDenial | Promise<boolean | InspectorDenial>;
  /** How many published changes `/api/history` keeps (default 100). */
  history?: number;
  /** Extra secret paths (`db.url`, `tenants.*.dsn`). */
  secrets?: readonly (string | readonly string[])[];
  /** The page's title. */
  title?: string;
}

/** A mounted inspector: a Node handler that can be closed (ending its event streams). */
export interface InspectorHandler {
  (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void;
  close?(): void;
}

type InspectorFactory = (config: unknown, options: InspectorMountOptions) => InspectorHandler;

/**
 * Where the inspector lives: beside this folder in the sources (tests, tsx), and as the package's
 * own `livecfg/inspector` subpath once built (dist has no `../inspector/` folder).
 * Specifiers in variables, so neither tsc nor the bundler needs the module before it exists.
 */
const CANDIDATES = ['../inspector/index.js', 'livecfg/inspector'];

/** Imports the inspector and builds its handler for `config`; a `ConfigError` when it is not available. */
export async function createInspector(
  config: unknown,
  options: InspectorMountOptions,
): Promise<InspectorHandler> {
  let lastError: unknown;
  for (const specifier of CANDIDATES) {
    try {
      const module = (await import(specifier)) as { inspector?: InspectorFactory };
      if (typeof module.inspector === 'function') return module.inspector(config, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw new ConfigError('NOT_FOUND', 'the inspector (livecfg/inspector) is not available in this build', {
    cause: lastError,
  });
}
