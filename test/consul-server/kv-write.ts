/** `PUT` and `DELETE /v1/kv/<key>`: raw bodies, `flags`, `cas`, `recurse`; answers `true`/`false`. */
import type { Authorizer } from './acl.js';
import { sendError, sendJson } from './http.js';
import { type KvRequest, type KvState, parseUint64 } from './kv-context.js';

function conflicting(request: KvRequest, names: readonly string[]): boolean {
  if (names.filter((name) => request.query.has(name)).length <= 1) return false;
  sendError(request.response, 400, `Conflicting flags: ${request.rawQuery}\n`);
  return true;
}

/** Parses an optional uint64 parameter; writes the 500 Consul returns for a bad one. */
function uintParam(request: KvRequest, name: string): bigint | undefined | null {
  if (!request.query.has(name)) return undefined;
  const parsed = parseUint64(request.query.get(name) ?? '');
  if (typeof parsed === 'bigint') return parsed;
  sendError(request.response, 500, parsed);
  return null;
}

/** Handles a PUT after the common checks. */
export async function handlePut(request: KvRequest, state: KvState, authz: Authorizer): Promise<void> {
  const { key, query, response } = request;
  if (conflicting(request, ['cas', 'acquire', 'release'])) return;
  const flags = uintParam(request, 'flags');
  if (flags === null) return;
  const cas = uintParam(request, 'cas');
  if (cas === null) return;
  if (request.contentLength !== undefined && request.contentLength > state.maxValueSize) {
    return sendError(response, 413, tooLarge(request.contentLength, state.maxValueSize));
  }
  const body = await request.readBody();
  if (body.length > state.maxValueSize)
    return sendError(response, 413, tooLarge(body.length, state.maxValueSize));
  if (!authz.canWrite(key)) return sendError(response, 403, 'Permission denied');
  const acquire = query.get('acquire');
  const release = query.get('release');
  if (acquire !== null || release !== null) {
    const session = acquire ?? release ?? '';
    // `kvsLockTxn` checks that the session exists; `kvsUnlockTxn` only that it holds the key.
    if (acquire !== null && !state.sessions.get(session)) {
      return sendError(response, 500, `invalid session ${JSON.stringify(session)}`);
    }
    const lock = {
      session,
      now: Date.now(),
      ...(flags === undefined ? {} : { flags: flags.toString() }),
    };
    const done =
      acquire !== null ? state.store.acquire(key, body, lock) : state.store.release(key, body, lock);
    return sendJson(response, 200, JSON.stringify(done));
  }
  const options = {
    ...(flags === undefined ? {} : { flags: flags.toString() }),
    ...(cas === undefined ? {} : { cas }),
  };
  sendJson(response, 200, JSON.stringify(state.store.set(key, body, options)));
}

/** Handles a DELETE after the common checks. */
export function handleDelete(request: KvRequest, state: KvState, authz: Authorizer): void {
  const { key, query, response } = request;
  const recurse = query.has('recurse');
  if (conflicting(request, ['recurse', 'cas'])) return;
  const cas = uintParam(request, 'cas');
  if (cas === null) return;
  const allowed = recurse ? authz.canWritePrefix(key) : authz.canWrite(key);
  if (!allowed) {
    sendError(response, 403, 'Permission denied');
    return;
  }
  const done = recurse ? state.store.deleteTree(key) : state.store.delete(key, cas);
  sendJson(response, 200, JSON.stringify(done));
}

function tooLarge(size: number, max: number): string {
  return (
    `Request body(${size} bytes) too large, max size: ${max} bytes. ` +
    'See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.'
  );
}
