/** ageDecrypt() against ciphertexts made by the real `age` CLI. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolveContext } from '../../src/reader/contract.js';
import { ConfigError } from '../../src/reader/errors.js';
import { ageDecrypt } from '../../src/secrets/age.js';
import { ageEncrypt } from '../../src/secrets/encrypt.js';
import { rejectionOf, thrownBy } from '../helpers/temp-dir.js';
import { cliDecrypt, cliEncrypt, cliEncryptWithPassphrase, useAgeKeys } from './age-cli.js';

const context: ResolveContext = { path: ['db', 'password'], source: 'file:config/app.yaml' };
const PLAIN = 'hunter2-Ünïcode ✓';

const keys = useAgeKeys('alice', 'bob');

/** Flips one byte of the binary ciphertext inside an envelope. */
function flipByte(envelope: string, index: (length: number) => number): string {
  const bytes = Buffer.from(envelope.slice('ENC[age,'.length, -1), 'base64');
  const at = index(bytes.length);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return `ENC[age,${bytes.toString('base64')}]`;
}

async function secretError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(ConfigError);
  const configError = error as unknown as ConfigError;
  expect(configError.code).toBe('SECRET');
  expect(configError.source).toBe('file:config/app.yaml');
  expect(configError.path).toBe('db.password');
  expect(configError.message).toContain('file:config/app.yaml: db.password: cannot decrypt');
  expect(configError.message).not.toContain(PLAIN);
  return configError;
}

describe('ageDecrypt with the age CLI', () => {
  it('decrypts a value the CLI encrypted for an X25519 recipient, with an identity file', async () => {
    const value = cliEncrypt(PLAIN, keys.alice.recipient);
    const resolver = ageDecrypt({ identityFile: keys.alice.file });
    expect(resolver.name).toBe('age');
    expect(resolver.matches(value)).toBe(true);
    await expect(resolver.resolve(value, context)).resolves.toBe(PLAIN);
  });

  it('decrypts with inline identities, trying each, and values made for several recipients', async () => {
    const forBoth = cliEncrypt('shared', keys.alice.recipient, keys.bob.recipient);
    const forBob = cliEncrypt('bob only', keys.bob.recipient);
    const resolver = ageDecrypt({ identities: [keys.alice.identity, keys.bob.identity] });
    await expect(resolver.resolve(forBoth, context)).resolves.toBe('shared');
    await expect(resolver.resolve(forBob, context)).resolves.toBe('bob only');
    await expect(ageDecrypt({ identities: [keys.bob.identity] }).resolve(forBoth, context)).resolves.toBe(
      'shared',
    );
  });

  it('says clearly that no identity matched a value encrypted for another recipient', async () => {
    const value = cliEncrypt(PLAIN, keys.bob.recipient);
    const error = await secretError(ageDecrypt({ identityFile: keys.alice.file }).resolve(value, context));
    expect(error.message).toContain('no identity matched');
    expect(error.message).toContain(keys.alice.file);
    expect(error.message).not.toContain(keys.alice.identity);
  });

  it('rejects corrupted base64 with a clear error', async () => {
    const resolver = ageDecrypt({ identityFile: keys.alice.file });
    for (const value of ['ENC[age,not base64!]', 'ENC[age,]', 'ENC[age,QUJD=E]', 'ENC[age,A]']) {
      const error = await secretError(resolver.resolve(value, context));
      expect(error.message).toMatch(/not valid base64|is empty/);
    }
  });

  it('rejects a corrupted or truncated ciphertext with a clear error, never the plain text', async () => {
    const value = cliEncrypt(PLAIN, keys.alice.recipient);
    const resolver = ageDecrypt({ identityFile: keys.alice.file });
    const inPayload = await secretError(
      resolver.resolve(
        flipByte(value, (n) => n - 3),
        context,
      ),
    );
    expect(inPayload.message).toContain('corrupted');
    const inHeader = await secretError(
      resolver.resolve(
        flipByte(value, () => 60),
        context,
      ),
    );
    expect(inHeader.message).toMatch(/corrupted|no identity matched/);
    const truncated = Buffer.from(value.slice(8, -1), 'base64').subarray(0, 120).toString('base64');
    const short = await secretError(resolver.resolve(`ENC[age,${truncated}]`, context));
    expect(short.message).toContain('corrupted');
    const notAge = await secretError(
      resolver.resolve(`ENC[age,${Buffer.from('hello world').toString('base64')}]`, context),
    );
    expect(notAge.message).toContain('not an age file');
  });

  it('decrypts a value made by `age -p` with the passphrase (scrypt), and rejects a wrong one', async () => {
    const value = cliEncryptWithPassphrase(PLAIN, 'correct horse battery', keys.dir);
    await expect(
      ageDecrypt({ passphrases: ['correct horse battery'] }).resolve(value, context),
    ).resolves.toBe(PLAIN);
    const error = await secretError(ageDecrypt({ passphrases: ['wrong'] }).resolve(value, context));
    expect(error.message).toMatch(/no identity matched|passphrase/);
  }, 30_000);

  it('names a missing identity file, and reads it once it exists', async () => {
    const missing = `${keys.dir}/later.txt`;
    const resolver = ageDecrypt({ identityFile: missing });
    const value = cliEncrypt(PLAIN, keys.alice.recipient);
    const error = await secretError(resolver.resolve(value, context));
    expect(error.message).toContain(`cannot read the identity file ${missing} (ENOENT)`);
    const { copyFileSync } = await import('node:fs');
    copyFileSync(keys.alice.file, missing);
    await expect(resolver.resolve(value, context)).resolves.toBe(PLAIN);
  });

  it('names the line of an identity file that holds no identity, without echoing it', async () => {
    const file = `${keys.dir}/bad-key.txt`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, '# created: today\nAGE-SECRET-KEY-1NOTVALID?x\n');
    const error = await secretError(
      ageDecrypt({ identityFile: file }).resolve(cliEncrypt('x', keys.alice.recipient), context),
    );
    expect(error.message).toContain(`${file}:2: not an age identity`);
    expect(error.message).not.toContain('NOTVALID');
  });

  it('rejects bad options at once', () => {
    expect(thrownBy(() => ageDecrypt({})).code).toBe('INVALID_ARGUMENT');
    const bad = thrownBy(() => ageDecrypt({ identities: ['AGE-SECRET-KEY-1ABC', 'oops-secret'] }));
    expect(bad.code).toBe('INVALID_ARGUMENT');
    expect(bad.message).toContain('identities[1]');
    expect(bad.message).not.toContain('oops-secret');
  });

  it('matches every value that starts like ENC[age, (malformed ones fail later with SECRET)', () => {
    const resolver = ageDecrypt({ identityFile: keys.alice.file });
    expect(resolver.matches('ENC[age,abc]')).toBe(true);
    expect(resolver.matches('ENC[age,abc')).toBe(true);
    expect(resolver.matches(' ENC[age,abc]\n')).toBe(true);
    expect(resolver.matches('enc[age,abc]')).toBe(false);
    expect(resolver.matches('ENC[gpg,abc]')).toBe(false);
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(resolver.matches(text)).toBe(text.trimStart().startsWith('ENC[age,'));
      }),
    );
  });
});

describe('ageEncrypt', () => {
  it('round-trips through the real `age -d`', async () => {
    const value = await ageEncrypt(PLAIN, [keys.alice.recipient]);
    expect(value).toMatch(/^ENC\[age,[A-Za-z0-9+/]+=*\]$/);
    expect(cliDecrypt(Buffer.from(value.slice(8, -1), 'base64'), keys.alice.file)).toBe(PLAIN);
  });

  it('round-trips any text through ageDecrypt (property)', async () => {
    const resolver = ageDecrypt({ identities: [keys.alice.identity] });
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (text) => {
        const value = await ageEncrypt(text, [keys.alice.recipient]);
        expect(await resolver.resolve(value, context)).toBe(text);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects a recipient that is not one, naming it', async () => {
    const error = await rejectionOf(ageEncrypt('x', ['age1nope']));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('"age1nope" is not an age recipient');
  });
});
