/**
 * The one path grammar (src/reader/path.ts): every path livecfg hands out is accepted back.
 * Pure round-trip against a reference model, then the paths a live Config hands out (changes$,
 * explain, history, validation issues, the inspector) fed back to get/watch/explain/set/delete/?path=.
 */
import fc from 'fast-check';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  formatPath,
  isConfigError,
  loadConfig,
  memory,
  parsePath,
  parsePathText,
  type StandardSchemaV1,
} from '../../src/index.js';
import { inspector } from '../../src/inspector/index.js';
import { listen } from '../inspector/helpers.js';

/** Keys with every troublesome shape: dots, quotes, brackets, spaces, empty, non-ASCII, `*`. */
const awkwardKey = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ maxLength: 6, unit: 'grapheme' }),
  fc.string({
    maxLength: 6,
    unit: fc.constantFrom('.', '"', '\\', '[', ']', ' ', '*', 'a', 'é', '日', '\t', '\n'),
  }),
  fc.constantFrom('', 'a.b', 'with space', 'q"uote', '[0]', '*', 'ünï', '0', '😀', '\u200d', 'a\\.b'),
);
/** Keys a tree can hold: the three unsafe names are dropped by design, so they are not generated. */
const treeKey = awkwardKey.filter((key) => !['__proto__', 'constructor', 'prototype'].includes(key));

/** The reference model of the grammar: a key is bare when nothing in it could be misread. */
function modelFormat(keys: readonly string[]): string {
  return keys
    .map((key) => (key !== '' && /^[^.\s"\\[\]*\p{C}]+$/u.test(key) ? key : JSON.stringify(key)))
    .join('.');
}

describe('path grammar', () => {
  it('parsePath(formatPath(keys)) gives the keys back, and formatPath follows the model', () => {
    fc.assert(
      fc.property(fc.array(awkwardKey, { maxLength: 6 }), (keys) => {
        const text = formatPath(keys);
        expect(text).toBe(modelFormat(keys));
        expect(parsePath(text)).toEqual(keys);
        expect(parsePathText(text)).toEqual(keys);
        expect(parsePathText(JSON.stringify(keys))).toEqual(keys);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads what people type: bare keys, quoted keys, the root; rejects broken quotes with INVALID_ARGUMENT', () => {
    expect(parsePath('server.port')).toEqual(['server', 'port']);
    expect(parsePath('labels."app.kubernetes.io/name"')).toEqual(['labels', 'app.kubernetes.io/name']);
    expect(parsePath('')).toEqual([]);
    expect(parsePath('größe.höhe')).toEqual(['größe', 'höhe']);
    expect(formatPath(['servers', 0, 'host'])).toBe('servers.0.host');
    for (const broken of ['a."b', 'a."b"c', '"\\x"']) {
      const error = (() => {
        try {
          parsePath(broken);
        } catch (caught) {
          return caught;
        }
      })();
      expect(isConfigError(error) && error.code === 'INVALID_ARGUMENT', broken).toBe(true);
    }
  });
});

/** Builds `{ [k0]: { [k1]: … leaf } }` with own properties only. */
function nest(keys: readonly string[], leaf: unknown): Record<string, unknown> {
  let value: unknown = leaf;
  for (let index = keys.length - 1; index >= 0; index--) {
    const node: Record<string, unknown> = {};
    Object.defineProperty(node, keys[index] as string, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    value = node;
  }
  return value as Record<string, unknown>;
}

/** A schema that rejects the number 13 anywhere, so that validation issues carry generated paths. */
const no13: StandardSchemaV1 = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate(value) {
      const issues: { message: string; path: string[] }[] = [];
      const walk = (node: unknown, path: string[]): void => {
        if (node === 13) issues.push({ message: 'not 13', path });
        else if (node && typeof node === 'object')
          for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
      };
      walk(value, []);
      return issues.length ? { issues } : { value };
    },
  },
};

describe('every path a Config hands out is accepted back', () => {
  let served: Awaited<ReturnType<typeof listen>> | undefined;
  let current: { handler: ReturnType<typeof inspector> } | undefined;
  beforeAll(async () => {
    served = await listen((request, response) => current?.handler(request, response));
  });
  afterAll(async () => {
    await new Promise((resolve) => served?.server.close(resolve));
  });

  it('changes$, explain, history, issues and ?path= paths feed get/watch/explain/set/delete', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.array(treeKey, { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 3,
          selector: (keys) => keys[0],
        }),
        async (paths) => {
          const source = memory({});
          const config = await loadConfig({ sources: [source], schema: no13, watch: true });
          current = { handler: inspector(config) };
          try {
            const changed: string[] = [];
            const subscription = config.changes$.subscribe((change) => changed.push(...change.changed));
            let data: Record<string, unknown> = {};
            for (const [index, keys] of paths.entries()) data = { ...data, ...nest(keys, `v${index}`) };
            const published = firstValueFrom(config.changes$);
            source.update(data);
            await published;
            subscription.unsubscribe();
            expect(changed.length).toBeGreaterThan(0);
            for (const path of changed) {
              const keys = parsePath(path);
              expect(config.get(path)).toEqual(config.get(keys));
              expect(config.has(path)).toBe(true);
              expect(config.explain(path).path).toBe(path);
              const watched = await new Promise((resolve) =>
                config.watch(path).subscribe(resolve).unsubscribe(),
              );
              expect(watched).toEqual(config.get(keys));
              const body = (await (
                await fetch(`${served?.url}/api/explain?path=${encodeURIComponent(path)}`)
              ).json()) as { path?: string };
              expect(body.path).toBe(path);
            }
            for (const entry of config.history())
              for (const change of entry.changes) expect(config.has(change.path)).toBe(true);
            const target = formatPath(paths[0] as string[]);
            await config.set(target, 'set');
            expect(config.get(paths[0] as string[])).toBe('set');
            const rejected = await config.set(target, 13).then(
              () => undefined,
              (error: unknown) => error,
            );
            expect(rejected).toBeInstanceOf(ConfigError);
            const issuePath = (rejected as ConfigError).issues?.[0]?.path ?? '';
            expect(parsePath(issuePath)).toEqual(paths[0]);
            await config.delete(target);
            expect(config.get(target)).toBe(config.get(paths[0] as string[]));
          } finally {
            await config.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
