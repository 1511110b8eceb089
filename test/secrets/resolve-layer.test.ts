/** resolveLayers(): resolvers applied to layers, with a per-value cache, batching and structural sharing. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/reader/contract.js';
import { ConfigError } from '../../src/reader/errors.js';
import { deepFreeze } from '../../src/reader/tree.js';
import { ageDecrypt } from '../../src/secrets/age.js';
import { ResolverCache, resolveLayers } from '../../src/secrets/resolve-layer.js';
import { vaultRef } from '../../src/vault.js';
import { rejectionOf } from '../helpers/temp-dir.js';
import { startVaultServer, type VaultTestServer } from '../vault-server/server.js';
import { type AgeKey, ageWorkspace, cliEncrypt } from './age-cli.js';

/** `UP:x` → `X`, counting calls and the most resolutions in flight at once. */
function upper(): Resolver & { calls: string[]; maxInFlight: number } {
  let inFlight = 0;
  const resolver = {
    name: 'upper',
    calls: [] as string[],
    maxInFlight: 0,
    matches: (value: string) => value.startsWith('UP:'),
    async resolve(value: string) {
      resolver.calls.push(value);
      inFlight++;
      resolver.maxInFlight = Math.max(resolver.maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      if (value === 'UP:fail') throw new ConfigError('SECRET', 'upper: refused', { source: 's', path: 'p' });
      if (value === 'UP:crash') throw new Error('crash with UP:crash inside');
      return value.slice(3).toUpperCase();
    },
  };
  return resolver;
}

/** The same tree with every `UP:` string upper-cased: the reference result. */
function naive(node: unknown): unknown {
  if (typeof node === 'string') return node.startsWith('UP:') ? node.slice(3).toUpperCase() : node;
  if (Array.isArray(node)) return node.map(naive);
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, naive(value)]));
  }
  return node;
}

describe('resolveLayers', () => {
  it('replaces matching strings in objects and arrays, shares what did not change, and never mutates', async () => {
    const resolver = upper();
    const data = deepFreeze({
      db: { password: 'UP:pw', user: 'bob' },
      list: ['UP:a', 'b', { deep: 'UP:c' }],
      untouched: { x: 1 },
    });
    const [layer] = await resolveLayers([{ data, source: 'file:a.yaml' }], [resolver], new ResolverCache());
    expect(layer?.data).toEqual({
      db: { password: 'PW', user: 'bob' },
      list: ['A', 'b', { deep: 'C' }],
      untouched: { x: 1 },
    });
    expect(layer?.data.untouched).toBe(data.untouched);
    expect(layer?.resolved).toEqual([
      { path: ['db', 'password'], resolvedBy: 'upper' },
      { path: ['list', '0'], resolvedBy: 'upper' },
      { path: ['list', '2', 'deep'], resolvedBy: 'upper' },
    ]);
    const plain = { a: 'plain' };
    const [same] = await resolveLayers([{ data: plain, source: 's' }], [resolver], new ResolverCache());
    expect(same?.data).toBe(plain);
  });

  it('equals a naive deep map on any tree (property)', async () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.string().map((s) => `UP:${s}`),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), tree, { maxKeys: 5 }), async (data) => {
        const before = structuredClone(data);
        const [layer] = await resolveLayers([{ data, source: 's' }], [upper()], new ResolverCache());
        expect(layer?.data).toEqual(naive(data));
        expect(data).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('resolves every value of every layer concurrently, and each distinct value once (cache)', async () => {
    const resolver = upper();
    const cache = new ResolverCache();
    const layers = [
      { data: { a: 'UP:x', b: 'UP:y' }, source: 'one' },
      { data: { c: 'UP:x', d: 'UP:z' }, source: 'two' },
    ];
    const result = await resolveLayers(layers, [resolver], cache);
    expect(result.map((layer) => layer.data)).toEqual([
      { a: 'X', b: 'Y' },
      { c: 'X', d: 'Z' },
    ]);
    expect(resolver.calls.sort()).toEqual(['UP:x', 'UP:y', 'UP:z']);
    expect(resolver.maxInFlight).toBe(3);
    await resolveLayers(layers, [resolver], cache);
    expect(resolver.calls).toHaveLength(3);
    cache.prune();
    await resolveLayers([{ data: { a: 'UP:x' }, source: 'one' }], [resolver], cache);
    cache.prune();
    expect(cache.size).toBe(1);
  });

  it('does not walk an unchanged layer (the same data object) again, unless its values were pruned', async () => {
    const resolver = upper();
    const cache = new ResolverCache();
    const data = { a: 'UP:x' };
    const first = await resolveLayers([{ data, source: 's' }], [resolver], cache);
    const matches = resolver.matches;
    let walked = 0;
    resolver.matches = (value) => {
      walked++;
      return matches(value);
    };
    const again = await resolveLayers([{ data, source: 's' }], [resolver], cache);
    expect(again[0]).toBe(first[0]);
    expect(walked).toBe(0);
    cache.prune(); // x was used since the last prune: kept
    cache.prune(); // not used since: forgotten, so the layer is walked and resolved again
    expect(cache.size).toBe(0);
    const fresh = await resolveLayers([{ data, source: 's' }], [resolver], cache);
    expect(fresh[0]?.data).toEqual({ a: 'X' });
    expect(walked).toBe(1);
    expect(resolver.calls).toEqual(['UP:x', 'UP:x']);
  });

  it('rejects with the first failure in layer and path order; a failure is not cached', async () => {
    const resolver = upper();
    const cache = new ResolverCache();
    const layers = [{ data: { ok: 'UP:x', bad: 'UP:fail', worse: 'UP:crash' }, source: 'file:a.yaml' }];
    const first = await rejectionOf(resolveLayers(layers, [resolver], cache));
    expect(first.message).toBe('upper: refused');
    const crash = await rejectionOf(
      resolveLayers([{ data: { k: ['UP:crash'] }, source: 'file:b.yaml' }], [resolver], cache),
    );
    expect(crash.code).toBe('SECRET');
    expect(crash.message).toBe('file:b.yaml: k.0: the upper resolver failed');
    await rejectionOf(resolveLayers(layers, [resolver], cache));
    expect(resolver.calls.filter((call) => call === 'UP:fail')).toHaveLength(2);
  });

  it('keeps a __proto__ key as data and never touches Object.prototype', async () => {
    const data = JSON.parse('{"__proto__": {"polluted": "UP:yes"}, "a": {"__proto__": "UP:x"}}') as Record<
      string,
      unknown
    >;
    const [layer] = await resolveLayers([{ data, source: 's' }], [upper()], new ResolverCache());
    expect(Object.getOwnPropertyDescriptor(layer?.data, '__proto__')?.value).toEqual({ polluted: 'YES' });
    expect(Object.getPrototypeOf(layer?.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('resolveLayers with the real resolvers', () => {
  let workspace: ReturnType<typeof ageWorkspace>;
  let key: AgeKey;
  let server: VaultTestServer;
  beforeAll(async () => {
    workspace = ageWorkspace();
    key = workspace.keygen('k');
    server = await startVaultServer();
  });
  afterAll(async () => {
    workspace.remove();
    await server.close();
  });

  it('decrypts age values and batches Vault references across layers into one read per secret', async () => {
    server.write('secret', 'app/db', { user: 'u', password: 'p' });
    const resolvers = [
      ageDecrypt({ identityFile: key.file }),
      vaultRef({ address: server.url, token: server.rootToken, environ: () => ({}) }),
    ];
    server.clearLog();
    const layers = await resolveLayers(
      [
        {
          data: { db: { user: 'vault:secret/app/db#user' }, token: cliEncrypt('age-token', key.recipient) },
          source: 'file:a.yaml',
        },
        { data: { db: { password: 'vault:secret/app/db#password' } }, source: 'consul:app/' },
      ],
      resolvers,
      new ResolverCache(),
    );
    expect(layers.map((layer) => layer.data)).toEqual([
      { db: { user: 'u' }, token: 'age-token' },
      { db: { password: 'p' } },
    ]);
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/secret/data/app/db']);
  });
});
