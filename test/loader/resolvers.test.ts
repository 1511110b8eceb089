/** loadConfig({ resolvers }): matching strings are replaced before coercion and validation, cached per input, and secret. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, memory, type Resolver } from '../../src/index.js';
import { rejectionOf } from '../helpers/temp-dir.js';
import { next } from '../helpers/watch.js';

/** `REV:<text>` resolves to the reversed text; `REV:fail` fails. Counts its calls. */
function reverser(): Resolver & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: 'reverse',
    calls,
    matches: (value) => value.startsWith('REV:'),
    async resolve(value, context) {
      calls.push(value);
      const text = value.slice(4);
      if (text === 'fail') throw new Error(`cannot reverse at ${context.path.join('.')}`);
      return [...text].reverse().join('');
    },
  };
}

describe('resolvers', () => {
  it('replace values before coercion and validation; explain shows resolvedBy, never the value', async () => {
    const resolver = reverser();
    const Schema = z.object({ port: z.number(), db: z.object({ pass: z.string() }), name: z.string() });
    const config = await loadConfig({
      schema: Schema,
      sources: [memory({ port: 'REV:0808', db: { pass: 'REV:terces' }, name: 'plain' })],
      resolvers: [resolver],
    });
    expect(config.value).toEqual({ port: 8080, db: { pass: 'secret' }, name: 'plain' });
    const explained = config.explain('db.pass');
    expect(explained).toMatchObject({ resolvedBy: 'reverse', value: '[redacted]', source: 'memory' });
    expect(explained.origin).toMatchObject({ memory: true, resolvedBy: 'reverse' });
    expect(JSON.stringify(explained)).not.toContain('secret"');
    expect(config.isSecret('port')).toBe(true);
    expect(config.isSecret('name')).toBe(false);
    expect(config.redact(config.value)).toEqual({
      port: '[redacted]',
      db: { pass: '[redacted]' },
      name: 'plain',
    });
    expect(config.redactText('connecting with secret to 8080')).not.toContain('secret to');
    await config.close();
  });

  it('resolve each input once: an unchanged ciphertext is not resolved again on reload', async () => {
    const resolver = reverser();
    const source = memory({ a: 'REV:cba', b: 1 });
    const config = await loadConfig({ sources: [source], resolvers: [resolver] });
    await new Promise((resolve) => setImmediate(resolve));
    const published = next(config.changes$);
    source.update({ a: 'REV:cba', b: 2 });
    await published;
    expect(config.value).toEqual({ a: 'abc', b: 2 });
    const changed = next(config.changes$);
    source.update({ a: 'REV:fed', b: 2 });
    await changed;
    expect(config.value).toEqual({ a: 'def', b: 2 });
    expect(resolver.calls).toEqual(['REV:cba', 'REV:fed']);
    await config.close();
  });

  it('a failure is SECRET naming the source and path, never the value; a reload keeps the last good config', async () => {
    const resolver = reverser();
    const startup = await rejectionOf(
      loadConfig({
        sources: [memory({ db: { pass: 'REV:fail' } }, { name: 'vaulty' })],
        resolvers: [resolver],
      }),
    );
    expect(startup).toBeInstanceOf(ConfigError);
    expect(startup).toMatchObject({ code: 'SECRET', source: 'vaulty', path: 'db.pass' });
    expect(startup.message).toContain('vaulty');
    expect(startup.message).toContain('db.pass');

    const source = memory({ key: 'REV:ko' });
    const config = await loadConfig({ sources: [source], resolvers: [resolver] });
    await new Promise((resolve) => setImmediate(resolve));
    const failed = next(config.errors$);
    source.update({ key: 'REV:fail' });
    expect((await failed).code).toBe('SECRET');
    expect(config.value).toEqual({ key: 'ok' });
    await config.close();
  });
});
