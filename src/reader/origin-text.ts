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

/** ` via ${A}, ${B}` when the value was interpolated from environment variables, else `''`. */
export function interpolatedVia(origin: Origin | undefined): string {
  const vars = origin ? field(origin, 'vars') : undefined;
  return Array.isArray(vars) && vars.length > 0
    ? ` via ${vars.map((name) => `\${${String(name)}}`).join(', ')}`
    : '';
}

/**
 * The one description of an origin, for explain, history, the inspector, the CLI and error messages:
 * "config/app.yaml:3:1", "env APP_PORT", a custom source's own text. Asks, in order: the source's own
 * `describe` (`Source.describeOrigin`; the kit gives every built-in source one), the origin's own
 * `text`, a `file:line:column`, the loader's own layers (defaults, `set()`); else the source's name.
 * A new source needs no change here.
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
  if (location) return `${location}${interpolatedVia(origin)}`;
  if (field(origin, 'default') === true) return source === 'schema' ? 'schema default' : 'defaults';
  if (field(origin, 'set') === true) return 'config.set()';
  return source;
}
