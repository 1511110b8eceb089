/**
 * How a source describes its own origins, so that adding a source touches no shared file: give the
 * Source a `describeOrigin(origin)` method (the loader and `explain` ask it first), or put a `text`
 * string on the origin itself. `reader/origin-text.ts` falls back to both.
 */
import type { Origin } from '../reader/provenance.js';

export type { OriginDescriber } from '../reader/origin-text.js';

function field(origin: Origin, key: string): unknown {
  return (origin as Record<string, unknown>)[key];
}

/**
 * Consul and etcd origins: `consul key app/port (ModifyIndex 7)`, `etcd key /app/port (mod_revision 9)`,
 * with `:line:column` for documents.
 */
export function describeKvOrigin(origin: Origin): string | undefined {
  const line = field(origin, 'line');
  const column = field(origin, 'column');
  const at = typeof line === 'number' ? `:${line}${typeof column === 'number' ? `:${column}` : ''}` : '';
  const consulKey = field(origin, 'consulKey');
  if (typeof consulKey === 'string') {
    return `consul key ${consulKey}${at} (ModifyIndex ${String(field(origin, 'modifyIndex'))})`;
  }
  const etcdKey = field(origin, 'etcdKey');
  if (typeof etcdKey === 'string') {
    return `etcd key ${etcdKey}${at} (mod_revision ${String(field(origin, 'modRevision'))})`;
  }
  return undefined;
}
