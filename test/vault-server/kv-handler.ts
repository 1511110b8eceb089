/**
 * The KV v2 routes of one mount: `data/`, `metadata/`, `delete/`, `undelete/`, `destroy/`, `config`
 * (vault-plugin-secrets-kv `path_*.go`), with Vault's status codes and bodies.
 */
import type { ServerResponse } from 'node:http';
import type { Clock } from './clock.js';
import { sendEnvelope, sendErrors, sendJson, sendNoContent } from './http.js';
import { type KvMount, KvWriteError } from './kv-store.js';
import { metadataView, versionView } from './kv-views.js';

/** A request as the router hands it over: operation, path inside the mount, query and JSON body. */
export interface KvRequest {
  operation: 'read' | 'list' | 'update' | 'patch' | 'delete';
  /** The path after the mount, e.g. `data/app/config`. */
  rest: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  res: ServerResponse;
}

const INVALID_PATH = (verb: string) =>
  'Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. ' +
  `If using the Vault CLI, use 'vault kv ${verb}' for this operation.`;
const ROOT_WARNING = 'Non-listing operations on the root of a K/V v2 mount are not supported.';
const VERBS: Record<KvRequest['operation'], string> = {
  read: 'get',
  list: 'list',
  update: 'put',
  patch: 'patch',
  delete: 'delete',
};

/** Handles one request on a KV v2 mount. */
export function handleKv(request: KvRequest, mount: KvMount, clock: Clock) {
  const { rest, res, operation } = request;
  if (rest === 'config') return handleConfig(request, mount);
  const slash = rest.indexOf('/');
  const area = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  const areas = ['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys'];
  if (!areas.includes(area)) return sendEnvelope(res, 404, { warnings: [INVALID_PATH(VERBS[operation])] });
  if (path === '' && !(area === 'metadata' && operation === 'list')) {
    return sendEnvelope(res, 404, { warnings: [ROOT_WARNING] });
  }
  if (path.endsWith('/') && operation !== 'list' && operation !== 'read') {
    return sendErrors(res, 400, ["cannot write to a path ending in '/'"]);
  }
  switch (area) {
    case 'data':
      return handleData(request, mount, clock, path);
    case 'metadata':
      return handleMetadata(request, mount, clock, path);
    case 'delete':
    case 'undelete':
    case 'destroy':
      return handleVersions(request, mount, area, path);
    default:
      return sendErrors(res, 405, ['unsupported operation']);
  }
}

function handleData(request: KvRequest, mount: KvMount, clock: Clock, path: string) {
  const { res, operation, query, body } = request;
  if (operation === 'read') {
    const version = Number(query.get('version') ?? '0');
    if (!Number.isInteger(version) || version < 0) return sendErrors(res, 400, ['invalid version']);
    const read = mount.read(path, version);
    if (read.kind === 'absent') return sendErrors(res, 404);
    const metadata = versionView(clock, read.key, read.version, read.entry);
    if (read.kind === 'deleted') return sendEnvelope(res, 404, { data: { data: null, metadata } });
    return sendEnvelope(res, 200, { data: { data: read.entry.data, metadata } });
  }
  if (operation === 'update') {
    const data = body.data;
    if (data === undefined || data === null) return sendErrors(res, 400, ['no data provided']);
    if (typeof data !== 'object' || Array.isArray(data))
      return sendErrors(res, 400, ['data must be an object']);
    const options = (body.options ?? {}) as Record<string, unknown>;
    const cas = options.cas === undefined ? undefined : Number(options.cas);
    if (cas !== undefined && !Number.isInteger(cas)) {
      return sendErrors(res, 400, ['error parsing check-and-set parameter']);
    }
    try {
      const { version, entry } = mount.write(path, data as Record<string, unknown>, cas);
      const key = mount.keys.get(path);
      return sendEnvelope(res, 200, { data: key ? versionView(clock, key, version, entry) : null });
    } catch (error) {
      if (error instanceof KvWriteError) return sendErrors(res, error.status, [error.message]);
      throw error;
    }
  }
  if (operation === 'delete') {
    mount.softDelete(path);
    return sendNoContent(res);
  }
  return sendErrors(res, 405, ['unsupported operation']);
}

function handleMetadata(request: KvRequest, mount: KvMount, clock: Clock, path: string) {
  const { res, operation } = request;
  if (operation === 'list') {
    const keys = mount.list(path);
    if (keys.length === 0) return sendErrors(res, 404);
    return sendEnvelope(res, 200, { data: { keys } });
  }
  if (operation === 'read') {
    const key = mount.keys.get(path);
    if (!key) return sendErrors(res, 404);
    return sendEnvelope(res, 200, { data: metadataView(clock, key) });
  }
  if (operation === 'update') {
    const key = mount.keys.get(path);
    if (!key) return sendErrors(res, 404);
    const { body } = request;
    if (typeof body.max_versions === 'number') key.maxVersions = body.max_versions;
    if (typeof body.cas_required === 'boolean') key.casRequired = body.cas_required;
    if (body.custom_metadata !== undefined)
      key.customMetadata = body.custom_metadata as Record<string, string>;
    return sendNoContent(res);
  }
  if (operation === 'delete') {
    mount.deleteMetadata(path);
    return sendNoContent(res);
  }
  return sendErrors(res, 405, ['unsupported operation']);
}

/** `versions` as a JSON array or a comma string (`TypeCommaIntSlice`). */
function parseVersions(raw: unknown): number[] {
  const list = typeof raw === 'string' ? raw.split(',').filter((part) => part.trim() !== '') : raw;
  if (!Array.isArray(list)) return [];
  return list.map(Number).filter((version) => Number.isInteger(version));
}

function handleVersions(request: KvRequest, mount: KvMount, area: string, path: string) {
  const { res, operation, body } = request;
  if (operation !== 'update') return sendErrors(res, 405, ['unsupported operation']);
  const versions = parseVersions(body.versions);
  if (versions.length === 0) {
    return sendErrors(res, 400, [
      area === 'destroy' ? 'no version number provided' : 'No version number provided',
    ]);
  }
  if (area === 'delete') mount.softDelete(path, versions);
  else if (area === 'undelete') mount.undelete(path, versions);
  else mount.destroy(path, versions);
  return sendNoContent(res);
}

function handleConfig(request: KvRequest, mount: KvMount) {
  const { res, operation, body } = request;
  if (operation === 'read') {
    const { config } = mount;
    return sendEnvelope(res, 200, {
      data: {
        cas_required: config.casRequired,
        delete_version_after: `${config.deleteVersionAfterSec}s`,
        max_versions: config.maxVersions,
      },
    });
  }
  if (operation === 'update') {
    if (typeof body.max_versions === 'number') mount.config.maxVersions = body.max_versions;
    if (typeof body.cas_required === 'boolean') mount.config.casRequired = body.cas_required;
    if (typeof body.delete_version_after === 'number')
      mount.config.deleteVersionAfterSec = body.delete_version_after;
    return sendNoContent(res);
  }
  return sendJson(res, 405, { errors: [] });
}
