/** The Vault test server answers as Vault does (see /work/shared/VAULT-KV-API.md and README.md here). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVaultServer, type VaultTestServer } from './server.js';

let vault: VaultTestServer;

beforeEach(async () => {
  vault = await startVaultServer({ namespaces: ['ns1'] });
});
afterEach(async () => {
  await vault.close();
});

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> | undefined;
  text: string;
}

async function call(
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? vault.rootToken : options.token;
  if (token !== null) headers['X-Vault-Token'] = token;
  const response = await fetch(`${vault.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

const data = (answer: Answer) => answer.json?.data as Record<string, unknown>;

describe('KV v2 data and metadata', () => {
  it('writes versions and reads them, current or by ?version, in the full envelope', async () => {
    const first = await call('POST', '/v1/secret/data/app', { body: { data: { a: 1 } } });
    expect(first.status).toBe(200);
    expect(data(first)).toMatchObject({
      version: 1,
      destroyed: false,
      deletion_time: '',
      custom_metadata: null,
    });
    await call('PUT', '/v1/secret/data/app', { body: { data: { a: 2 } } });
    const current = await call('GET', '/v1/secret/data/app');
    expect(current.status).toBe(200);
    expect(current.headers.get('content-type')).toBe('application/json');
    expect(current.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(current.json ?? {})).toEqual([
      'request_id',
      'lease_id',
      'renewable',
      'lease_duration',
      'data',
      'wrap_info',
      'warnings',
      'auth',
    ]);
    expect(data(current).data).toEqual({ a: 2 });
    expect((data(current).metadata as Record<string, unknown>).version).toBe(2);
    expect((data(current).metadata as Record<string, unknown>).created_time).toMatch(/\.\d{9}Z$/);
    const old = await call('GET', '/v1/secret/data/app?version=1');
    expect(data(old).data).toEqual({ a: 1 });
    expect((await call('GET', '/v1/secret/data/app?version=9')).text).toBe('{"errors":[]}');
    expect((await call('GET', '/v1/secret/data/missing')).status).toBe(404);
  });

  it('answers soft-deleted and destroyed versions with 404 and the metadata; undelete brings one back', async () => {
    vault.write('secret', 'app', { a: 1 });
    vault.write('secret', 'app', { a: 2 });
    expect((await call('DELETE', '/v1/secret/data/app')).status).toBe(204);
    const deleted = await call('GET', '/v1/secret/data/app');
    expect(deleted.status).toBe(404);
    expect(data(deleted).data).toBeNull();
    expect((data(deleted).metadata as Record<string, unknown>).deletion_time).not.toBe('');
    const metadata = data(await call('GET', '/v1/secret/metadata/app'));
    expect(metadata.current_version).toBe(2);
    expect((await call('POST', '/v1/secret/undelete/app', { body: { versions: [2] } })).status).toBe(204);
    expect(data(await call('GET', '/v1/secret/data/app')).data).toEqual({ a: 2 });
    expect((await call('PUT', '/v1/secret/destroy/app', { body: { versions: '2' } })).status).toBe(204);
    const destroyed = await call('GET', '/v1/secret/data/app');
    expect(destroyed.status).toBe(404);
    expect((data(destroyed).metadata as Record<string, unknown>).destroyed).toBe(true);
    expect(data(await call('GET', '/v1/secret/metadata/app')).current_version).toBe(2);
    expect((await call('POST', '/v1/secret/delete/app', { body: { versions: [] } })).json).toEqual({
      errors: ['No version number provided'],
    });
    expect((await call('DELETE', '/v1/secret/metadata/app')).status).toBe(204);
    expect((await call('GET', '/v1/secret/data/app')).text).toBe('{"errors":[]}');
  });

  it('reads a future deletion_time as a value until the clock passes it', async () => {
    await call('POST', '/v1/secret/config', { body: { delete_version_after: 60 } });
    vault.write('secret', 'app', { a: 1 });
    expect((await call('GET', '/v1/secret/data/app')).status).toBe(200);
    vault.clock.advance(61_000);
    expect((await call('GET', '/v1/secret/data/app')).status).toBe(404);
  });

  it('has the metadata field set, prunes at max_versions, checks CAS and lists folders', async () => {
    await call('POST', '/v1/secret/config', { body: { max_versions: 3 } });
    for (let i = 1; i <= 5; i++) vault.write('secret', 'app/db', { i });
    const metadata = data(await call('GET', '/v1/secret/metadata/app/db'));
    expect(Object.keys(metadata).sort()).toEqual([
      'cas_required',
      'created_time',
      'current_version',
      'custom_metadata',
      'delete_version_after',
      'max_versions',
      'oldest_version',
      'updated_time',
      'versions',
    ]);
    expect(metadata.current_version).toBe(5);
    expect(metadata.oldest_version).toBe(3);
    expect(Object.keys(metadata.versions as object)).toEqual(['3', '4', '5']);
    const cas = await call('POST', '/v1/secret/data/app/db', {
      body: { options: { cas: 4 }, data: { x: 1 } },
    });
    expect(cas.json).toEqual({ errors: ['check-and-set parameter did not match the current version'] });
    const create = await call('POST', '/v1/secret/data/new', {
      body: { options: { cas: 0 }, data: { x: 1 } },
    });
    expect(create.status).toBe(200);
    vault.write('secret', 'app/api', { k: 1 });
    const list = await call('GET', '/v1/secret/metadata/app?list=true');
    expect(data(list).keys).toEqual(['api', 'db']);
    expect(data(await call('GET', '/v1/secret/metadata/?list=true')).keys).toEqual(['app/', 'new']);
    expect((await call('GET', '/v1/secret/metadata/none?list=true')).status).toBe(404);
  });

  it('answers a KV v1-style path with 404 and the warning', async () => {
    const answer = await call('GET', '/v1/secret/app');
    expect(answer.status).toBe(404);
    expect((answer.json!.warnings as string[])[0]).toContain(
      'Invalid path for a versioned K/V secrets engine',
    );
    expect((await call('GET', '/v1/nomount/data/x')).status).toBe(404);
    expect((await call('GET', '/ui/')).status).toBe(404);
    expect((await call('OPTIONS', '/v1/secret/data/x')).status).toBe(405);
  });
});

describe('tokens and AppRole', () => {
  it('answers 403 to no token, an unknown one, an expired one and a denied path; accepts Bearer', async () => {
    vault.write('secret', 'app', { a: 1 });
    expect((await call('GET', '/v1/secret/data/app', { token: null })).json).toEqual({
      errors: ['permission denied'],
    });
    expect((await call('GET', '/v1/secret/data/app', { token: 'bogus' })).json).toEqual({
      errors: ['permission denied', 'invalid token'],
    });
    const bearer = await call('GET', '/v1/secret/data/app', {
      token: null,
      headers: { Authorization: `Bearer  ${vault.rootToken}` },
    });
    expect(bearer.status).toBe(200);
    const limited = vault.createToken({ ttl: 60, policy: { allow: ['secret/data/app'] } });
    expect((await call('GET', '/v1/secret/data/app', { token: limited.id })).status).toBe(200);
    expect((await call('GET', '/v1/secret/metadata/app', { token: limited.id })).json).toEqual({
      errors: ['permission denied'],
    });
    vault.clock.advance(61_000);
    expect((await call('GET', '/v1/secret/data/app', { token: limited.id })).status).toBe(403);
  });

  it('logs in with AppRole, looks the token up, renews it up to the max TTL with a warning', async () => {
    vault.addAppRole({ roleName: 'web', roleId: 'r-1', secretId: 's-1', tokenTtl: 60, tokenMaxTtl: 100 });
    expect((await call('POST', '/v1/auth/approle/login', { token: null, body: {} })).json).toEqual({
      errors: ['missing role_id'],
    });
    const bad = await call('POST', '/v1/auth/approle/login', {
      token: null,
      body: { role_id: 'r-1', secret_id: 'x' },
    });
    expect(bad.status).toBe(400);
    const login = await call('POST', '/v1/auth/approle/login', {
      token: 'stale',
      body: { role_id: 'r-1', secret_id: 's-1' },
    });
    expect(login.status).toBe(200);
    expect(login.json?.data).toBeNull();
    expect(login.json?.lease_duration).toBe(0);
    const auth = login.json?.auth as Record<string, unknown>;
    expect(auth).toMatchObject({
      lease_duration: 60,
      renewable: true,
      orphan: true,
      metadata: { role_name: 'web' },
    });
    const token = auth.client_token as string;
    const lookup = data(await call('GET', '/v1/auth/token/lookup-self', { token }));
    expect(lookup).toMatchObject({ ttl: 60, renewable: true, type: 'service' });
    vault.clock.advance(50_000);
    const renewed = await call('POST', '/v1/auth/token/renew-self', { token, body: { increment: '1m' } });
    expect((renewed.json!.auth as Record<string, unknown>).lease_duration).toBe(50);
    expect((renewed.json!.warnings as string[])[0]).toContain('capped accordingly');
    vault.clock.advance(51_000);
    expect((await call('GET', '/v1/auth/token/lookup-self', { token })).status).toBe(403);
    expect(vault.tokens.logins).toBe(1);
  });

  it('refuses to renew a non-renewable or batch token', async () => {
    const fixed = vault.createToken({ ttl: 60, renewable: false });
    expect((await call('POST', '/v1/auth/token/renew-self', { token: fixed.id })).json).toEqual({
      errors: ['lease is not renewable'],
    });
    const batch = vault.createToken({ ttl: 60, type: 'batch' });
    expect((await call('POST', '/v1/auth/token/renew-self', { token: batch.id })).json).toEqual({
      errors: ['batch tokens cannot be renewed'],
    });
  });
});

describe('namespaces', () => {
  it('treats the X-Vault-Namespace header and a path prefix alike, and keeps namespaces apart', async () => {
    vault.write('secret', 'app', { where: 'ns1' }, 'ns1');
    vault.write('secret', 'app', { where: 'root' });
    const byHeader = await call('GET', '/v1/secret/data/app', { headers: { 'X-Vault-Namespace': 'ns1/' } });
    expect(data(byHeader).data).toEqual({ where: 'ns1' });
    expect(byHeader.headers.get('x-vault-namespace')).toBe('ns1');
    expect(data(await call('GET', '/v1/ns1/secret/data/app')).data).toEqual({ where: 'ns1' });
    expect(data(await call('GET', '/v1/secret/data/app')).data).toEqual({ where: 'root' });
    const nsToken = vault.createToken({ namespace: 'ns1' });
    expect((await call('GET', '/v1/secret/data/app', { token: nsToken.id })).status).toBe(403);
    const inNs = await call('GET', '/v1/secret/data/app', {
      token: nsToken.id,
      headers: { 'X-Vault-Namespace': 'ns1' },
    });
    expect(inNs.status).toBe(200);
  });
});

describe('faults and health', () => {
  it('injects 5xx with JSON or HTML bodies, dropped connections, latency and a sealed state', async () => {
    vault.write('secret', 'app', { a: 1 });
    vault.failNext(1, 503);
    expect((await call('GET', '/v1/secret/data/app')).json).toEqual({ errors: ['Vault is sealed'] });
    vault.failNext(1, 502, 'html');
    const html = await call('GET', '/v1/secret/data/app');
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    vault.failNext(1, 429);
    expect((await call('GET', '/v1/secret/data/app')).headers.get('retry-after')).toBe('1');
    vault.dropNext(1);
    await expect(call('GET', '/v1/secret/data/app')).rejects.toThrow();
    vault.setLatency(50);
    const started = Date.now();
    expect((await call('GET', '/v1/secret/data/app')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    vault.setLatency(0);
    vault.setSealed(true);
    expect((await call('GET', '/v1/secret/data/app')).json).toEqual({ errors: ['Vault is sealed'] });
    expect((await call('GET', '/v1/sys/health', { token: null })).status).toBe(503);
    expect((await call('GET', '/v1/sys/health?sealedcode=200', { token: null })).status).toBe(200);
    vault.setSealed(false);
    const health = await call('GET', '/v1/sys/health', { token: null });
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({
      initialized: true,
      sealed: false,
      cluster_name: 'vault-cluster-test',
    });
    expect((await call('HEAD', '/v1/sys/health', { token: null })).text).toBe('');
  });

  it('logs each request with its byte counts, and comes back on the same port after down/up', async () => {
    vault.write('secret', 'app', { a: 1 });
    await call('GET', '/v1/secret/metadata/app');
    const record = vault.requests.at(-1);
    expect(record).toMatchObject({ method: 'GET', path: '/v1/secret/metadata/app', status: 200 });
    expect(record?.bytesIn).toBeGreaterThan(50);
    expect(record?.bytesOut).toBeGreaterThan(200);
    const port = vault.port;
    await vault.down();
    await expect(call('GET', '/v1/secret/data/app')).rejects.toThrow();
    await vault.up();
    expect(vault.port).toBe(port);
    expect((await call('GET', '/v1/secret/data/app')).status).toBe(200);
  });
});
