/** Property tests: no secret text survives in any inspector body, whatever the tree. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig, memory } from '../../src/index.js';
import { Redaction } from '../../src/inspector/redaction.js';
import { SnapshotCache } from '../../src/inspector/snapshot-cache.js';
import { explanationView, historyView } from '../../src/inspector/views.js';

/** A secret text that no generated public value contains. */
const secretText = fc
  .string({ minLength: 6, maxLength: 16, unit: fc.constantFrom(...'abcdefghijklmnop0123456789') })
  .map((text) => `S3CR3T-${text}`);
const publicLeaf = fc.oneof(fc.integer(), fc.boolean(), fc.constantFrom('red', 'blue', 'x y', null));
const secretKey = fc.constantFrom('password', 'apiKey', 'clientSecret', 'token', 'DB_PASSWORD', 'privateKey');
const publicKey = fc.constantFrom('host', 'port', 'name', 'region', 'level', 'mode');

/** A tree with public leaves and secrets at secret-named keys (also nested, also in arrays and URLs). */
const treeWithSecrets = fc
  .tuple(
    fc.dictionary(publicKey, publicLeaf, { maxKeys: 4 }),
    fc.array(fc.tuple(fc.array(publicKey, { maxLength: 2 }), secretKey, secretText), {
      minLength: 1,
      maxLength: 4,
    }),
    secretText,
  )
  .map(([base, secrets, urlPassword]) => {
    const tree: Record<string, unknown> = { ...base, url: `postgres://app:${urlPassword}@db:5432/x` };
    const texts = [urlPassword];
    for (const [parents, name, text] of secrets) {
      let node = tree;
      for (const parent of parents) {
        const child = node[parent];
        node[parent] = child !== null && typeof child === 'object' ? child : {};
        node = node[parent] as Record<string, unknown>;
      }
      node[name] = secrets.length % 2 === 0 ? text : [text, { nested: text }];
      texts.push(text);
    }
    return { tree, texts };
  });

describe('inspector redaction', () => {
  it('no secret text in /api/config (with origins), explain views or history views', async () => {
    await fc.assert(
      fc.asyncProperty(treeWithSecrets, treeWithSecrets, async (first, second) => {
        const source = memory(first.tree);
        const config = await loadConfig({ sources: [source], debounceMs: 0 });
        try {
          const redaction = new Redaction(config);
          const cache = new SnapshotCache(config, redaction);
          const changed = new Promise<void>((resolve) => config.changes$.subscribe(() => resolve()));
          source.update(second.tree);
          await changed;
          const bodies = [cache.body(false).body.toString(), cache.body(true).body.toString()];
          for (const entry of config.history()) bodies.push(JSON.stringify(historyView(entry, redaction)));
          const walk = (value: unknown, keys: string[]): void => {
            bodies.push(JSON.stringify(explanationView(config.explain(keys), keys, redaction)));
            if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
              for (const [name, child] of Object.entries(value)) walk(child, [...keys, name]);
            }
          };
          walk(config.value, []);
          const all = bodies.join('\n');
          for (const text of [...first.texts, ...second.texts]) expect(all).not.toContain(text);
        } finally {
          await config.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
