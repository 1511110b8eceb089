/**
 * Issue 26 item 4: a value that starts like an age envelope decrypts or fails with `SECRET`, never loads
 * as a plain string; an identity file open to group or others gets a warning (as ssh gives one).
 */
import { chmodSync, copyFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageDecrypt, IDENTITY_FILE_PERMISSIONS_WARNING } from '../../src/age.js';
import { type Config, ConfigError, file, loadConfig } from '../../src/index.js';
import type { ResolveContext } from '../../src/reader/contract.js';
import { rejectionOf, useTempDirs } from '../helpers/temp-dir.js';
import { cliEncrypt, useAgeKeys } from './age-cli.js';

const keys = useAgeKeys('alice');
const tempDir = useTempDirs();
const context: ResolveContext = { path: ['db', 'password'], source: 'file:app.yaml' };
const PLAIN = 'hunter2-plain';

/** The malformed shapes of a good envelope, with the reason each must give. */
function malformed(good: string): Array<[string, RegExp]> {
  const body = good.slice('ENC[age,'.length, -1);
  return [
    [`ENC[age,${body}`, /no closing "\]"/],
    [` ${good}`, /whitespace/],
    [`${good}\n`, /whitespace/],
    [`\n${good}`, /whitespace/],
    [`${good} `, /whitespace/],
    [`${good}]`, /text after the closing/],
    [`${good}x`, /text after the closing/],
    [`ENC[age,${body.slice(0, 10)}!${body.slice(10)}]`, /not valid base64/],
    ['ENC[age,', /no closing/],
    ['ENC[age,]', /is empty/],
  ];
}

describe('ENC[age,...] values that are not well formed (issue 26 item 4)', () => {
  it('the resolver claims every value that starts like an envelope, after any leading whitespace (property)', () => {
    const resolver = ageDecrypt({ identityFile: keys.alice.file });
    const lead = fc.stringMatching(/^\s{0,3}$/);
    fc.assert(
      fc.property(lead, fc.string(), (space, rest) => {
        expect(resolver.matches(`${space}ENC[age,${rest}`)).toBe(true);
      }),
    );
    // Reference model: starts like an envelope once leading whitespace is dropped.
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(resolver.matches(text)).toBe(/^\s*ENC\[age,/.test(text));
      }),
    );
    expect(resolver.matches('enc[age,abc]')).toBe(false);
    expect(resolver.matches('x ENC[age,abc]')).toBe(false);
  });

  it('each malformed shape is a SECRET error saying what is wrong, without the value', async () => {
    const good = cliEncrypt(PLAIN, keys.alice.recipient);
    const resolver = ageDecrypt({ identityFile: keys.alice.file });
    await expect(resolver.resolve(good, context)).resolves.toBe(PLAIN);
    for (const [value, reason] of malformed(good)) {
      expect(resolver.matches(value), JSON.stringify(value)).toBe(true);
      const error = await rejectionOf(resolver.resolve(value, context));
      expect(error, JSON.stringify(value)).toBeInstanceOf(ConfigError);
      expect(error.code).toBe('SECRET');
      expect(error.message).toMatch(reason);
      expect(error.message).toContain('file:app.yaml: db.password: cannot decrypt');
      expect(error.message).not.toContain(good.slice(8, 40));
    }
  });

  it('any text after "ENC[age," decrypts or fails with SECRET, never comes back as itself (property)', async () => {
    const resolver = ageDecrypt({ identities: [keys.alice.identity] });
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^\s{0,2}$/), fc.string(), async (space, rest) => {
        const value = `${space}ENC[age,${rest}`;
        const error = await rejectionOf(resolver.resolve(value, context));
        expect(error.code).toBe('SECRET');
      }),
      { numRuns: 200 },
    );
  });

  it('loadConfig: a malformed envelope in a file fails startup with SECRET naming file and path', async () => {
    const good = cliEncrypt(PLAIN, keys.alice.recipient);
    const dir = await tempDir();
    for (const [value] of malformed(good)) {
      const path = await dir.write('app.json', JSON.stringify({ db: { password: value } }));
      const loading = loadConfig({
        sources: [file(path)],
        watch: false,
        resolvers: [ageDecrypt({ identityFile: keys.alice.file })],
      });
      const outcome = await loading.then(
        async (config: Config) => {
          const got = config.get(['db', 'password']);
          await config.close();
          return `loaded ${JSON.stringify(got)}`;
        },
        (error: unknown) => error,
      );
      expect(outcome, JSON.stringify(value)).toBeInstanceOf(ConfigError);
      expect((outcome as ConfigError).code).toBe('SECRET');
      expect((outcome as ConfigError).message).toContain('db.password');
    }
  });

  it('loadConfig: a YAML block scalar that leaves a newline after the envelope is SECRET, a plain scalar decrypts', async () => {
    const good = cliEncrypt(PLAIN, keys.alice.recipient);
    const dir = await tempDir();
    const resolvers = [ageDecrypt({ identityFile: keys.alice.file })];
    const block = await dir.write('block.yaml', `db:\n  password: |\n    ${good}\n`);
    const error = await rejectionOf(loadConfig({ sources: [file(block)], watch: false, resolvers }));
    expect(error.code).toBe('SECRET');
    expect(error.message).toMatch(/whitespace.*>-/);
    const plain = await dir.write('plain.yaml', `db:\n  password: ${good}\n`);
    const config = await loadConfig({ sources: [file(plain)], watch: false, resolvers });
    expect(config.get(['db', 'password'])).toBe(PLAIN);
    await config.close();
  });
});

describe('identity file permissions (issue 26 item 4)', () => {
  /** Resolves a value with a copy of alice's key file set to `mode`; returns the warnings given meanwhile. */
  async function warningsWith(mode: number): Promise<Error[]> {
    const dir = await tempDir();
    const keyFile = dir.path('key.txt');
    copyFileSync(keys.alice.file, keyFile);
    chmodSync(keyFile, mode);
    const warnings: Error[] = [];
    const listener = (warning: Error) => warnings.push(warning);
    process.on('warning', listener);
    try {
      const value = cliEncrypt(PLAIN, keys.alice.recipient);
      await expect(ageDecrypt({ identityFile: keyFile }).resolve(value, context)).resolves.toBe(PLAIN);
      // process.emitWarning delivers on the next tick: wait one macrotask as the barrier.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    return warnings.filter(
      (warning) => (warning as { code?: string }).code === IDENTITY_FILE_PERMISSIONS_WARNING,
    );
  }

  it('warns (LIVECFG_AGE_IDENTITY_PERMISSIONS) when group or others can read the file, and still decrypts', async () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      const warnings = await warningsWith(mode);
      expect(warnings, mode.toString(8)).toHaveLength(1);
      expect(warnings[0]?.name).toBe('LivecfgWarning');
      expect(warnings[0]?.message).toContain(`mode 0${mode.toString(8)}`);
      expect(warnings[0]?.message).toContain('chmod 600');
      expect(warnings[0]?.message).not.toContain(keys.alice.identity);
    }
  });

  it('does not warn for 0600 or 0400', async () => {
    expect(await warningsWith(0o600)).toEqual([]);
    expect(await warningsWith(0o400)).toEqual([]);
  });
});
