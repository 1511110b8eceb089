/**
 * How sources describe their own origins, so that adding a source touches no shared file: a Source
 * has a `describeOrigin(origin)` method (the loader hands it to explain, history, the inspector, the
 * CLI and error messages through `reader/origin-text.ts`), or puts a `text` string on the origin. These
 * are the built-in sources' describers; a source of your own can reuse them or write its own.
 */
import { interpolatedVia, originLocation } from '../reader/origin-text.js';
import type { Origin } from '../reader/provenance.js';

export type { OriginDescriber } from '../reader/origin-text.js';

function field(origin: Origin, key: string): unknown {
  return (origin as Record<string, unknown>)[key];
}

/** File origins: `config/app.yaml:3:9`, with ` via ${DB_HOST}` when interpolated. */
export function describeFileOrigin(origin: Origin): string | undefined {
  const location = originLocation(origin);
  return location === undefined ? undefined : `${location}${interpolatedVia(origin)}`;
}

/**
 * Environment origins: `env APP_SERVER_PORT`; a variable read from a `.env` file (`env({ files })`):
 * `.env.local:3:1 (APP_SERVER_PORT)`; a `.env` document read by `file()`: its `file:line:column`.
 */
export function describeEnvOrigin(origin: Origin): string | undefined {
  const env = field(origin, 'env');
  const location = originLocation(origin);
  if (typeof env === 'string') return location === undefined ? `env ${env}` : `${location} (${env})`;
  return describeFileOrigin(origin);
}

/** Flag origins: `flag --server.port`. */
export function describeFlagOrigin(origin: Origin): string | undefined {
  const flag = field(origin, 'flag');
  return typeof flag === 'string' ? `flag ${flag}` : undefined;
}

/** In-memory origins: the source's name (`memory`, or the `name` it was given, e.g. `ops`). */
export function describeMemoryOrigin(origin: Origin, name = 'memory'): string | undefined {
  return field(origin, 'memory') === true ? name : undefined;
}

/**
 * Consul and etcd origins: `consul key app/port (ModifyIndex 7)`, `etcd key /app/port (mod_revision 9)`,
 * with `:line:column` for documents and ` via ${VAR}` when interpolated.
 */
export function describeKvOrigin(origin: Origin): string | undefined {
  const line = field(origin, 'line');
  const column = field(origin, 'column');
  const at = typeof line === 'number' ? `:${line}${typeof column === 'number' ? `:${column}` : ''}` : '';
  const via = interpolatedVia(origin);
  const consulKey = field(origin, 'consulKey');
  if (typeof consulKey === 'string') {
    return `consul key ${consulKey}${at} (ModifyIndex ${String(field(origin, 'modifyIndex'))})${via}`;
  }
  const etcdKey = field(origin, 'etcdKey');
  if (typeof etcdKey === 'string') {
    return `etcd key ${etcdKey}${at} (mod_revision ${String(field(origin, 'modRevision'))})${via}`;
  }
  return undefined;
}

/** Vault origins: `vault kv/app/config (version 3)`. */
export function describeVaultOrigin(origin: Origin): string | undefined {
  const path = field(origin, 'vaultPath');
  if (typeof path !== 'string') return undefined;
  const version = field(origin, 'version');
  return version === undefined ? `vault ${path}` : `vault ${path} (version ${String(version)})`;
}
