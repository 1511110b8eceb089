import type { Origin, OriginMap } from '../provenance.js';
import { pathKey } from '../provenance.js';
import { isPlainObject } from '../tree.js';

/** `${NAME}` or `${NAME:-fallback}`; anything else that looks similar stays literal. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Reads environment variables for interpolation. */
export type Environ = () => Record<string, string | undefined>;

/**
 * Replaces `${NAME}` (empty when unset, as Go Config does) and `${NAME:-fallback}` in every string of
 * a document, in place. Returns the origin map extended with the variables each value used.
 */
export function interpolate(data: Record<string, unknown>, origins: OriginMap, environ: Environ): OriginMap {
  const env = environ();
  const used = new Map<string, string[]>();
  const visit = (node: Record<string, unknown> | unknown[], path: string[]): void => {
    for (const key of Object.keys(node)) {
      const value = (node as Record<string, unknown>)[key];
      const childPath = [...path, key];
      if (typeof value === 'string' && value.includes('${')) {
        const vars: string[] = [];
        const replaced = value.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
          vars.push(name);
          const current = env[name];
          if (fallback !== undefined && (current === undefined || current === '')) return fallback;
          return current ?? '';
        });
        if (vars.length > 0) {
          (node as Record<string, unknown>)[key] = replaced;
          used.set(pathKey(childPath), vars);
        }
      } else if (Array.isArray(value) || isPlainObject(value)) {
        visit(value, childPath);
      }
    }
  };
  visit(data, []);
  if (used.size === 0) return origins;
  return {
    lookup(path: readonly string[]): Origin | undefined {
      const origin = origins.lookup(path);
      const vars = used.get(pathKey(path));
      return vars && origin ? { ...origin, vars } : origin;
    },
  };
}
