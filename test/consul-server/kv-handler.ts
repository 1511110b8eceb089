/** `/v1/kv/<key>`: method dispatch and the checks every KV request shares (`KVSEndpoint`). */
import { authorize } from './acl.js';
import { sendError, sendMethodNotAllowed } from './http.js';
import type { KvRequest, KvState } from './kv-context.js';
import { handleGet, parseBlocking } from './kv-read.js';
import { handleDelete, handlePut } from './kv-write.js';

const METHODS = ['GET', 'PUT', 'DELETE'] as const;

/** Whether the request addresses a prefix, so that an empty key (the root) is allowed. */
function listsPrefix(method: string, query: URLSearchParams): boolean {
  if (method === 'GET') return query.has('recurse') || query.has('keys');
  return method === 'DELETE' && query.has('recurse');
}

/**
 * Handles one KV request. Order as in Consul: method, then `wait`/`index` parsing (400), then the key
 * name (400), then the RPC: datacenter (500 "No path to datacenter"), token (403 "ACL not found"), then the operation.
 */
export async function handleKv(request: KvRequest, state: KvState): Promise<void> {
  const { method, response } = request;
  if (method === 'OPTIONS') {
    response.res.setHeader('Allow', METHODS.join(','));
    return sendError(response, 200, '');
  }
  if (!(METHODS as readonly string[]).includes(method))
    return sendMethodNotAllowed(response, method, METHODS);

  const params = method === 'GET' ? parseBlocking(request) : undefined;
  if (method === 'GET' && params === undefined) return;

  if (request.key === '' && !listsPrefix(method, request.query))
    return sendError(response, 400, 'Missing key name');

  const dc = request.query.get('dc');
  if (dc && dc !== state.datacenter) return sendError(response, 500, 'No path to datacenter');
  const authz = authorize(state.acl(), request.token);
  if (!authz) return sendError(response, 403, 'ACL not found');

  if (method === 'PUT') return handlePut(request, state, authz);
  if (method === 'DELETE') return handleDelete(request, state, authz);
  return handleGet(request, state, authz, params ?? { minIndex: 0n, waitMs: undefined });
}
