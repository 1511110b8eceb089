/**
 * livecfg/openfeature through the real `@openfeature/server-sdk`: each kind of flag resolves from a
 * real YAML file with reason STATIC and where it came from; absent, mistyped and secret flags return
 * the default value with their error code, and nothing throws or shows a value.
 */
import { ErrorCode, OpenFeature, StandardResolutionReasons } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { flags as flagArgs, loadConfig } from '../../src/index.js';
import { LivecfgProvider } from '../../src/openfeature.js';
import { thrownBy } from '../helpers/temp-dir.js';
import { FLAGS, useFlags } from './openfeature-fixture.js';

const loadFlags = useFlags();

describe('LivecfgProvider: resolving flags', () => {
  it('resolves boolean, string, number and object flags under the prefix, with reason STATIC and their origin', async () => {
    const { config, path } = await loadFlags();
    await OpenFeature.setProviderAndWait(new LivecfgProvider(config, { prefix: 'features' }));
    const client = OpenFeature.getClient();
    expect(await client.getBooleanValue('new-checkout', true)).toBe(false);
    expect(await client.getStringValue('theme', 'light')).toBe('dark');
    expect(await client.getNumberValue('maxItems', 1)).toBe(20);
    expect(await client.getObjectValue('banner', {})).toEqual({ text: 'Welcome', colors: ['red', 'blue'] });
    expect(await client.getObjectValue('banner', {})).toBe(config.get('features.banner'));

    const details = await client.getBooleanDetails('new-checkout', true);
    expect(details).toMatchObject({ value: false, reason: StandardResolutionReasons.STATIC });
    expect(details.errorCode).toBeUndefined();
    expect(details.flagMetadata).toEqual({
      source: `file:${path}`,
      origin: `${path}:4:3`,
      path: 'features.new-checkout',
      version: config.version,
    });
    expect(details.flagMetadata.origin).toBe(config.explain('features.new-checkout').description);
  });

  it('reads a flag key as ONE key: "checkout.v2" is the key `checkout.v2`, not the path checkout → v2', async () => {
    const { config } = await loadFlags();
    await OpenFeature.setProviderAndWait(new LivecfgProvider(config, { prefix: 'features' }));
    const client = OpenFeature.getClient();
    const dotted = await client.getBooleanDetails('checkout.v2', false);
    expect(dotted.value).toBe(true);
    expect(dotted.flagMetadata.path).toBe('features."checkout.v2"');
    expect(await client.getObjectValue('checkout', {})).toEqual({ v2: false });
  });

  it('takes the prefix in the one path grammar or as keys, and reads the root without one', async () => {
    const { config } = await loadFlags();
    const read = async (provider: LivecfgProvider, key: string) =>
      (await provider.resolveStringEvaluation(key, 'none', {})).value;
    expect(await read(new LivecfgProvider(config, { prefix: ['features'] }), 'theme')).toBe('dark');
    expect(await read(new LivecfgProvider(config, { prefix: 'service' }), 'name')).toBe('shop');
    expect(await read(new LivecfgProvider(config), 'theme')).toBe('none');
    expect((await new LivecfgProvider(config).resolveObjectEvaluation('service', {}, {})).value).toEqual({
      name: 'shop',
    });
    const quoted = await loadConfig({ defaults: { labels: { 'a.b': { on: true } } }, watch: false });
    const provider = new LivecfgProvider(quoted, { prefix: 'labels."a.b"' });
    expect((await provider.resolveBooleanEvaluation('on', false, {})).value).toBe(true);
    await quoted.close();
    expect(thrownBy(() => new LivecfgProvider(config, { prefix: 'labels."a.b' })).code).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('an absent flag: the default value, FLAG_NOT_FOUND, reason DEFAULT from the provider (ERROR once the SDK sees the code)', async () => {
    const { config } = await loadFlags();
    const provider = new LivecfgProvider(config, { prefix: 'features' });
    expect(await provider.resolveBooleanEvaluation('nope', true, {})).toMatchObject({
      value: true,
      reason: StandardResolutionReasons.DEFAULT,
      errorCode: ErrorCode.FLAG_NOT_FOUND,
      flagMetadata: { path: 'features.nope' },
    });
    await OpenFeature.setProviderAndWait(provider);
    const client = OpenFeature.getClient();
    expect(await client.getBooleanValue('nope', true)).toBe(true);
    const details = await client.getNumberDetails('nope', 7);
    expect(details).toMatchObject({ value: 7, errorCode: ErrorCode.FLAG_NOT_FOUND });
    expect(details.errorMessage).toContain('features.nope');
    // Inherited and prototype keys are not flags, and nothing reaches Object.prototype.
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect((await client.getObjectDetails(key, { d: 1 })).errorCode, key).toBe(ErrorCode.FLAG_NOT_FOUND);
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('a flag of another type: the default value and TYPE_MISMATCH, naming the types and never the value', async () => {
    const { config } = await loadFlags();
    await OpenFeature.setProviderAndWait(new LivecfgProvider(config, { prefix: 'features' }));
    const client = OpenFeature.getClient();
    const cases = [
      [await client.getNumberDetails('theme', 7), 7, 'features.theme is a string, not a number'],
      [
        await client.getStringDetails('new-checkout', 'x'),
        'x',
        'features.new-checkout is a boolean, not a string',
      ],
      [
        await client.getBooleanDetails('maxItems', true),
        true,
        'features.maxItems is a number, not a boolean',
      ],
      [
        await client.getObjectDetails('theme', { d: 1 }),
        { d: 1 },
        'features.theme is a string, not an object',
      ],
      [await client.getBooleanDetails('empty', true), true, 'features.empty is null, not a boolean'],
      [await client.getStringDetails('banner', 'x'), 'x', 'features.banner is an object, not a string'],
    ] as const;
    for (const [details, fallback, message] of cases) {
      expect(details.value).toEqual(fallback);
      expect(details.errorCode).toBe(ErrorCode.TYPE_MISMATCH);
      expect(details.errorMessage).toBe(message);
      expect(details.flagMetadata.source).toMatch(/^file:/);
    }
  });

  it('strings from sources without types (flags, env) convert as config.at().bool() / .number() do', async () => {
    const config = await loadConfig({
      sources: [flagArgs(['--features.dark-mode=yes', '--features.limit=12', '--features.name=x'])],
      watch: false,
    });
    const provider = new LivecfgProvider(config, { prefix: 'features' });
    expect(await provider.resolveBooleanEvaluation('darkMode', false, {})).toMatchObject({
      value: true,
      reason: 'STATIC',
      flagMetadata: { origin: config.explain('features.darkMode').description as string },
    });
    expect((await provider.resolveNumberEvaluation('limit', 0, {})).value).toBe(12);
    expect((await provider.resolveStringEvaluation('limit', '', {})).value).toBe('12');
    expect((await provider.resolveBooleanEvaluation('name', false, {})).errorCode).toBe(
      ErrorCode.TYPE_MISMATCH,
    );
    expect((await provider.resolveNumberEvaluation('name', 3, {})).errorCode).toBe(ErrorCode.TYPE_MISMATCH);
    await config.close();
  });
});

describe('LivecfgProvider: secrets are never flags', () => {
  const SECRET_FLAGS = `${FLAGS}  apiToken: tok-5f3a9c81e2
  database:
    host: db.internal
    password: pw-91b2c3d4
  endpoint: https://admin:hunter2-url@api.example.com/v1
`;

  it('a secret key, a flag holding one, or a URL password resolves to the default with GENERAL; no value anywhere', async () => {
    const { config } = await loadFlags(SECRET_FLAGS);
    await OpenFeature.setProviderAndWait(new LivecfgProvider(config, { prefix: 'features' }));
    const client = OpenFeature.getClient();
    const results = [
      await client.getStringDetails('apiToken', 'none'),
      await client.getObjectDetails('database', { none: true }),
      await client.getStringDetails('endpoint', 'none'),
    ];
    expect(results.map((details) => details.value)).toEqual(['none', { none: true }, 'none']);
    for (const details of results) {
      expect(details.errorCode).toBe(ErrorCode.GENERAL);
      expect(details.errorMessage).toMatch(/holds a secret: livecfg does not serve secrets as flags/);
      expect(details.flagMetadata.origin).toMatch(/flags\.yaml:\d+:\d+$/);
    }
    const shown = JSON.stringify(results);
    for (const secret of ['tok-5f3a9c81e2', 'pw-91b2c3d4', 'hunter2-url'])
      expect(shown).not.toContain(secret);
    // The flags beside them still resolve.
    expect(await client.getStringValue('theme', 'x')).toBe('dark');
  });

  it('judges each version: a flag that turns secret is refused from then on, and served once it is not', async () => {
    const config = await loadConfig({ defaults: { features: { endpoint: 'https://api.example.com/v1' } } });
    const provider = new LivecfgProvider(config, { prefix: 'features' });
    const read = () => provider.resolveStringEvaluation('endpoint', 'none', {});
    expect((await read()).value).toBe('https://api.example.com/v1');
    await config.set('features.endpoint', 'https://admin:pw-7c1e@api.example.com/v1');
    expect(await read()).toMatchObject({ value: 'none', errorCode: ErrorCode.GENERAL });
    await config.set('features.endpoint', 'https://api.example.com/v2');
    expect(await read()).toMatchObject({ value: 'https://api.example.com/v2', reason: 'STATIC' });
    await config.close();
  });

  it('the source name in metadata is redacted (an HTTP source named by a URL with a password)', async () => {
    const NAME = 'http:https://ops:pa55-in-name@flags.example.com/app.json';
    const config = await loadConfig({
      sources: [
        {
          name: NAME,
          read: async () => ({
            data: { features: { on: true } },
            checksum: '1',
            source: NAME,
            timestamp: new Date(),
          }),
        },
      ],
      watch: false,
    });
    const details = await new LivecfgProvider(config, { prefix: 'features' }).resolveBooleanEvaluation(
      'on',
      false,
      {},
    );
    expect(details.value).toBe(true);
    expect(JSON.stringify(details.flagMetadata)).not.toContain('pa55-in-name');
    expect(details.flagMetadata?.source).toMatch(/^http:https:\/\/ops:.*@flags\.example\.com\/app\.json$/);
    await config.close();
  });
});
