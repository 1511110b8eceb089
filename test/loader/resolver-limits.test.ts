/**
 * Resolvers that hang or misbehave (issue 26 items 5 and 6): a per-call timeout, `signal` honoured
 * during startup, a hung transaction that never blocks the queue, `close()` rejecting queued work, and
 * resolver output held to the plain-data rules of `set()`, every failure a `SECRET` ConfigError.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, memory, type Resolver } from '../../src/index.js';
import { rejectionOf } from '../helpers/temp-dir.js';
import { next } from '../helpers/watch.js';

/** `HANG:` values never settle (and ignore the signal); `OK:<text>` resolves to the text. */
function hanging(): Resolver & { started: Promise<void>; calls: number } {
  let started!: () => void;
  const resolver = {
    name: 'hang',
    calls: 0,
    started: new Promise<void>((resolve) => {
      started = resolve;
    }),
    matches: (value: string) => value.startsWith('HANG:') || value.startsWith('OK:'),
    resolve(value: string): Promise<unknown> {
      resolver.calls++;
      if (value.startsWith('OK:')) return Promise.resolve(value.slice(3));
      started();
      return new Promise<never>(() => undefined);
    },
  };
  return resolver;
}

/** A resolver that returns whatever `outputs` maps its value to. */
function returning(outputs: Record<string, () => unknown>): Resolver {
  return {
    name: 'odd',
    matches: (value) => value in outputs,
    resolve: async (value) => (outputs[value] as () => unknown)(),
  };
}

describe('a resolver that never settles (26.5)', () => {
  it('fails the startup with TIMEOUT naming source, path and resolver after resolveTimeoutMs', async () => {
    const error = await rejectionOf(
      loadConfig({
        sources: [memory({ db: { password: 'HANG:x' } }, { name: 'vaulty' })],
        resolvers: [hanging()],
        resolveTimeoutMs: 50,
      }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'TIMEOUT', source: 'vaulty', path: 'db.password' });
    expect(error.message).toContain('hang');
    expect(error.message).toContain('50 ms');
  });

  it('loadConfig({ signal }) rejects with the abort when aborted while a resolver hangs', async () => {
    const resolver = hanging();
    const controller = new AbortController();
    const closed: string[] = [];
    const source = memory({ a: 'HANG:x' });
    const close = source.close?.bind(source);
    source.close = async () => {
      closed.push(source.name);
      await close?.();
    };
    const loading = rejectionOf(
      loadConfig({ sources: [source], resolvers: [resolver], signal: controller.signal }),
    );
    await resolver.started;
    controller.abort();
    const error = await loading;
    expect(error.name).toBe('AbortError');
    expect(closed).toEqual([source.name]);
  });

  it('a reload whose resolver hangs fails with TIMEOUT; a later set() still completes', async () => {
    const resolver = hanging();
    const source = memory({ a: 'OK:1' });
    const config = await loadConfig({ sources: [source], resolvers: [resolver], resolveTimeoutMs: 100 });
    await new Promise((resolve) => setImmediate(resolve));
    const failed = next(config.errors$);
    source.update({ a: 'HANG:2' });
    await resolver.started;
    await config.set('b', 1);
    expect((await failed).code).toBe('TIMEOUT');
    expect(config.value).toEqual({ a: '1', b: 1 });
    await config.close();
  });

  it('close() rejects the hung transaction and the queued work with CLOSED', async () => {
    const resolver = hanging();
    const source = memory({ a: 'OK:1' });
    const config = await loadConfig({ sources: [source], resolvers: [resolver] });
    source.update({ a: 'HANG:2' });
    const syncing = rejectionOf(config.sync());
    await resolver.started;
    const setting = rejectionOf(config.set('b', 1));
    const deleting = rejectionOf(config.delete('a'));
    await config.close();
    for (const error of [await syncing, await setting, await deleting]) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.code).toBe('CLOSED');
    }
  });
});

describe('resolver output (26.6)', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['a Map', () => new Map([['a', 1]]), 'Map'],
    ['a function', () => () => 1, 'function'],
    ['a Set inside an object', () => ({ nested: new Set([1]) }), 'Set'],
    [
      'a cycle',
      () => {
        const cycle: Record<string, unknown> = {};
        cycle.self = cycle;
        return cycle;
      },
      'cycle',
    ],
  ];
  for (const [name, output, word] of cases) {
    it(`${name} is a SECRET ConfigError naming source and path`, async () => {
      const error = await rejectionOf(
        loadConfig({
          sources: [memory({ db: { password: 'X' } }, { name: 'vaulty' })],
          resolvers: [returning({ X: output })],
        }),
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ code: 'SECRET', source: 'vaulty', path: 'db.password' });
      expect(error.message).toContain('vaulty');
      expect(error.message).toContain('db.password');
      expect(error.message).toContain(word);
    });
  }

  it('a Date and a URL become plain strings, as with set()', async () => {
    const config = await loadConfig({
      sources: [memory({ at: 'D', url: 'U' })],
      resolvers: [returning({ D: () => new Date(0), U: () => ({ href: new URL('https://example.com/x') }) })],
      watch: false,
    });
    expect(config.value).toEqual({ at: '1970-01-01T00:00:00.000Z', url: { href: 'https://example.com/x' } });
    expect(Object.isFrozen(config.get('url'))).toBe(true);
    await config.close();
  });

  it('a throw of an object whose toString throws is a SECRET ConfigError', async () => {
    const hostile = {
      name: 'hostile',
      matches: () => true,
      resolve: async () => {
        throw {
          toString() {
            throw new Error('no text for you');
          },
        };
      },
    } satisfies Resolver;
    const error = await rejectionOf(
      loadConfig({ sources: [memory({ key: 'x' }, { name: 'src' })], resolvers: [hostile] }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'SECRET', source: 'src', path: 'key' });
  });

  it('a throw of a primitive or a plain Error is a SECRET ConfigError; a ConfigError keeps its code', async () => {
    const throwing = (thrown: unknown): Resolver => ({
      name: 't',
      matches: () => true,
      resolve: async () => {
        throw thrown;
      },
    });
    for (const thrown of [42, undefined, Symbol('s'), new TypeError('bad')]) {
      const error = await rejectionOf(
        loadConfig({ sources: [memory({ k: 'x' })], resolvers: [throwing(thrown)] }),
      );
      expect(error).toMatchObject({ code: 'SECRET', path: 'k' });
    }
    const kept = await rejectionOf(
      loadConfig({
        sources: [memory({ k: 'x' })],
        resolvers: [throwing(new ConfigError('PERMISSION', 'denied'))],
      }),
    );
    expect(kept).toMatchObject({ code: 'PERMISSION', source: 'memory' });
  });
});
