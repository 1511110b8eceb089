/**
 * ageDecrypt imports its X25519 identity once, not once per value (issue 26 item 8): a load of many
 * `ENC[age,…]` values makes one PKCS #8 private-key import, counted on WebCrypto itself.
 */
import type { webcrypto } from 'node:crypto';
import { Encrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig, memory } from '../../src/index.js';
import { ageDecrypt } from '../../src/secrets/age.js';
import { importIdentity } from '../../src/secrets/x25519-key.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('age identity import', () => {
  it('a load of 20 values imports the private key once and decrypts each value', async () => {
    const identity = await generateIdentity();
    const encrypter = new Encrypter();
    encrypter.addRecipient(await identityToRecipient(identity));
    const secrets: Record<string, string> = {};
    for (let index = 0; index < 20; index++) {
      const cipher = await encrypter.encrypt(`secret-${index}`);
      secrets[`s${index}`] = `ENC[age,${Buffer.from(cipher).toString('base64')}]`;
    }
    const subtle = globalThis.crypto.subtle;
    const importKey = subtle.importKey.bind(subtle);
    let privateImports = 0;
    vi.spyOn(subtle, 'importKey').mockImplementation(((format: string, ...rest: unknown[]) => {
      if (format === 'pkcs8') privateImports++;
      return (importKey as (...args: unknown[]) => unknown)(format, ...rest);
    }) as typeof subtle.importKey);
    const config = await loadConfig({
      sources: [memory({ secrets })],
      resolvers: [ageDecrypt({ identities: [identity] })],
    });
    try {
      for (let index = 0; index < 20; index++)
        expect(config.get(['secrets', `s${index}`])).toBe(`secret-${index}`);
      expect(privateImports).toBe(1);
    } finally {
      await config.close();
    }
  });

  it('keeps a malformed or post-quantum identity as text (age-encryption reports it)', async () => {
    const identity = await generateIdentity();
    const key = await importIdentity(identity);
    expect(typeof key).toBe('object');
    expect((key as webcrypto.CryptoKey).type).toBe('private');
    expect((key as webcrypto.CryptoKey).algorithm.name).toBe('X25519');
    // One character changed: the bech32 checksum no longer holds.
    const last = identity.at(-1) === 'Q' ? 'P' : 'Q';
    const broken = `${identity.slice(0, -1)}${last}`;
    expect(await importIdentity(broken)).toBe(broken);
    expect(await importIdentity('AGE-SECRET-KEY-PQ-1ABC')).toBe('AGE-SECRET-KEY-PQ-1ABC');
  });
});
