/** `GET /v1/kv/<key>`: single key, `?recurse`, `?keys` (with `separator`) and `?raw`, all blocking. */
import type { Authorizer } from './acl.js';
import { queryTimeout, type WatchScope } from './blocking.js';
import { parseGoDuration } from './duration.js';
import { sendEmpty, sendError, sendJson, sendRaw, setQueryMeta } from './http.js';
import { entriesJson, type KvRequest, type KvState } from './kv-context.js';
import type { StoredEntry } from './store.js';

/** Blocking parameters parsed from `?index=&wait=` (`parseWait`). */
export interface BlockingParams {
  minIndex: bigint;
  waitMs: number | undefined;
}

/** Parses `index` and `wait`; writes the 400 and returns `undefined` when either is invalid. */
export function parseBlocking(request: KvRequest): BlockingParams | undefined {
  const wait = request.query.get('wait');
  let waitMs: number | undefined;
  if (wait) {
    waitMs = parseGoDuration(wait);
    if (waitMs === undefined) {
      sendError(request.response, 400, 'Invalid wait time');
      return undefined;
    }
  }
  const index = request.query.get('index');
  let minIndex = 0n;
  if (index) {
    if (!/^\d+$/.test(index) || BigInt(index) > 0xffff_ffff_ffff_ffffn) {
      sendError(request.response, 400, 'Invalid index');
      return undefined;
    }
    minIndex = BigInt(index);
  }
  return { minIndex, waitMs };
}

interface ReadResult {
  index: number;
  entries: StoredEntry[];
  filtered: boolean;
}

/** Handles a GET after the common checks (token resolved, datacenter known). */
export async function handleGet(
  request: KvRequest,
  state: KvState,
  authz: Authorizer,
  params: BlockingParams,
): Promise<void> {
  const { query, key, response } = request;
  const keysOnly = query.has('keys');
  const recurse = keysOnly || query.has('recurse');
  if (!recurse && !authz.canRead(key)) return sendError(response, 403, 'Permission denied');

  const scope: WatchScope = recurse ? { prefix: key } : { key };
  const run = (): ReadResult => {
    if (!recurse) {
      const entry = state.store.get(key);
      return { index: state.store.indexOfKey(key), entries: entry ? [entry] : [], filtered: false };
    }
    const all = state.store.list(key);
    const entries = all.filter((entry) => authz.canRead(entry.key));
    return { index: state.store.indexOfPrefix(key), entries, filtered: entries.length < all.length };
  };
  const timeout = queryTimeout(params.waitMs, state.random);
  const result = await state.blocking.run(
    scope,
    params.minIndex,
    timeout,
    request.signal,
    run,
    request.onPark,
  );
  if (result === undefined) return; // the client went away or the server closed

  setQueryMeta(response.res, result.index);
  if (result.filtered) response.res.setHeader('X-Consul-Results-Filtered-By-ACLs', 'true');
  if (keysOnly) return sendKeys(request, result.entries);
  if (result.entries.length === 0) return sendEmpty(response, 404);
  if (!recurse && query.has('raw')) return sendRaw(response, result.entries[0]?.value ?? null);
  sendJson(response, 200, entriesJson(result.entries));
}

function sendKeys(request: KvRequest, entries: readonly StoredEntry[]): void {
  const { query, key: prefix, response } = request;
  const separator = query.get('separator') ?? query.get('seperator') ?? '';
  const keys: string[] = [];
  for (const entry of entries) {
    let name = entry.key;
    if (separator !== '') {
      const at = name.indexOf(separator, prefix.length);
      if (at >= 0) name = name.slice(0, at + separator.length);
    }
    if (keys[keys.length - 1] !== name) keys.push(name);
  }
  if (keys.length === 0 && prefix !== '') sendEmpty(response, 404);
  else sendJson(response, 200, JSON.stringify(keys));
}
