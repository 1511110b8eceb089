import type { ConfigData } from './contract.js';
import { type Origin, StaticOriginMap } from './provenance.js';
import { MAX_DEPTH, setPath } from './tree.js';

/** One key of a key/value store (Consul KV, etcd) with its raw value and origin. */
export interface KeyValueEntry {
  key: string;
  /** The stored text; `null` for Consul folder keys or keys without data. */
  value: string | null;
  origin: Origin;
}

/**
 * Builds a config tree from the keys below a prefix: `config/app/server/port` under `config/app/`
 * becomes `server.port`. Values are JSON-parsed when they parse, else kept as strings. Folder keys
 * (ending in the separator, or without a value) are ignored; so are keys equal to the prefix itself.
 */
export function treeFromKeys(
  entries: readonly KeyValueEntry[],
  prefix: string,
  separator = '/',
): { data: ConfigData; origins: StaticOriginMap } {
  const data: ConfigData = {};
  const origins = new StaticOriginMap();
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const entry of sorted) {
    if (entry.value === null || entry.key.endsWith(separator) || !entry.key.startsWith(prefix)) continue;
    const path = entry.key
      .slice(prefix.length)
      .split(separator)
      .filter((segment) => segment !== '');
    if (path.length === 0 || path.length > MAX_DEPTH) continue;
    setPath(data, path, parseScalar(entry.value));
    origins.set(path, entry.origin);
  }
  return { data, origins };
}

/** JSON-parses a stored value when it is valid JSON, else returns the text unchanged. */
export function parseScalar(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return text;
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}
