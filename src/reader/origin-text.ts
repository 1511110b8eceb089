import type { Origin } from './provenance.js';

/** A source's own description of an origin (`Source.describeOrigin`), or `undefined` to fall through. */
export type OriginDescriber = (origin: Origin) => string | undefined;

/** Reads an origin field without caring which variant it is. */
function field(origin: Origin, key: string): unknown {
  return (origin as Record<string, unknown>)[key];
}

/** The `file:line:column` prefix of an origin, when it has a file. */
export function originLocation(origin: Origin | undefined): string | undefined {
  if (!origin) return undefined;
  const file = field(origin, 'file');
  if (typeof file !== 'string') return undefined;
  const line = field(origin, 'line');
  const column = field(origin, 'column');
  if (typeof line !== 'number') return file;
  return typeof column === 'number' ? `${file}:${line}:${column}` : `${file}:${line}`;
}

/**
 * A short human description of an origin: "env APP_PORT", "flag --port", "config/app.yaml:3:1".
 * Asks, in order: the source's own `describe` (pass `source.describeOrigin`), the origin's own `text`,
 * then the built-in kinds; else the source's name. A new source needs no change here.
 */
export function describeOrigin(
  origin: Origin | undefined,
  source: string,
  describe?: OriginDescriber,
): string {
  if (!origin) return source;
  if (describe) {
    try {
      const own = describe(origin);
      if (typeof own === 'string' && own !== '') return own;
    } catch {
      // A describer's bug must not break an error message.
    }
  }
  const text = field(origin, 'text');
  if (typeof text === 'string' && text !== '') return text;
  const location = originLocation(origin);
  if (location) return location;
  const env = field(origin, 'env');
  if (typeof env === 'string') return `env ${env}`;
  const flag = field(origin, 'flag');
  if (typeof flag === 'string') return `flag ${flag}`;
  const consulKey = field(origin, 'consulKey');
  if (typeof consulKey === 'string')
    return `consul key ${consulKey} (ModifyIndex ${String(field(origin, 'modifyIndex'))})`;
  const etcdKey = field(origin, 'etcdKey');
  if (typeof etcdKey === 'string')
    return `etcd key ${etcdKey} (mod_revision ${String(field(origin, 'modRevision'))})`;
  if (field(origin, 'default') === true) return 'defaults';
  if (field(origin, 'set') === true) return 'config.set()';
  return source;
}
