/**
 * `ageDecrypt()`: the resolver that decrypts `ENC[age,<base64>]` values with age identities
 * (X25519, post-quantum hybrid) or scrypt passphrases, using the `age-encryption` package.
 */
import type { ResolveContext, Resolver } from '../reader/contract.js';
import { ConfigError } from '../reader/errors.js';
import { formatPath } from '../reader/path.js';
import { type AgeModule, loadAge } from './age-module.js';
import { EnvelopeError, isAgeEnvelope, unwrapAge } from './envelope.js';
import { checkIdentities, readIdentityFile } from './identities.js';
import { importIdentity } from './x25519-key.js';

/** Options of {@link ageDecrypt}. Give at least one of `identities`, `identityFile` and `passphrases`. */
export interface AgeDecryptOptions {
  /** Identities as strings: `AGE-SECRET-KEY-1...` (X25519) or `AGE-SECRET-KEY-PQ-1...`. */
  identities?: string[];
  /** An identity file as `age-keygen -o key.txt` writes it; read on the first decryption. */
  identityFile?: string;
  /** Passphrases for values encrypted with `age -p` (scrypt). Slow by design: ~1 s per value. */
  passphrases?: string[];
}

type Decrypter = InstanceType<AgeModule['Decrypter']>;

/**
 * A resolver for values written as `ENC[age,<base64 of the binary age ciphertext>]`
 * (`printf %s "$SECRET" | age -r age1... | base64 -w0`, or `livecfg encrypt`). The plain text
 * becomes the value (a string; the schema coerces it). Failures are `SECRET` ConfigErrors naming
 * the path and the source, never the value.
 *
 * @example
 * await loadConfig({ sources: [file('app.yaml')], resolvers: [ageDecrypt({ identityFile: '/run/secrets/age.key' })] });
 */
export function ageDecrypt(options: AgeDecryptOptions): Resolver {
  const inline = checkIdentities(options.identities ?? []);
  const passphrases = [...(options.passphrases ?? [])];
  const { identityFile } = options;
  if (inline.length === 0 && passphrases.length === 0 && identityFile === undefined) {
    throw new ConfigError(
      'INVALID_ARGUMENT',
      'ageDecrypt(): give identities, an identityFile or passphrases to decrypt with',
    );
  }
  let decrypter: Promise<Decrypter> | undefined;
  const prepare = async (): Promise<Decrypter> => {
    const age = await loadAge();
    const fromFile = identityFile === undefined ? [] : await readIdentityFile(identityFile);
    const result = new age.Decrypter();
    // Imported once here, not once per decrypted value (see importIdentity).
    const keys = await Promise.all([...inline, ...fromFile].map(importIdentity));
    for (const identity of keys) result.addIdentity(identity);
    for (const passphrase of passphrases) result.addPassphrase(passphrase);
    return result;
  };
  const describeKeys = (): string => {
    const parts: string[] = [];
    if (inline.length > 0) parts.push(`${inline.length} identit${inline.length === 1 ? 'y' : 'ies'}`);
    if (identityFile !== undefined) parts.push(`the identity file ${identityFile}`);
    if (passphrases.length > 0) parts.push(`${passphrases.length} passphrase(s)`);
    return parts.join(', ');
  };

  return {
    name: 'age',
    matches: isAgeEnvelope,
    async resolve(value: string, context: ResolveContext): Promise<unknown> {
      const where = `${context.source}: ${formatPath(context.path)}`;
      const fail = (reason: string, cause?: unknown): ConfigError =>
        new ConfigError('SECRET', `${where}: cannot decrypt the ENC[age,...] value: ${reason}`, {
          source: context.source,
          path: formatPath(context.path),
          cause,
        });
      let ciphertext: Uint8Array;
      try {
        ciphertext = unwrapAge(value);
      } catch (error) {
        throw fail(error instanceof EnvelopeError ? error.message : 'malformed value', error);
      }
      let ready: Decrypter;
      try {
        decrypter ??= prepare();
        ready = await decrypter;
      } catch (error) {
        decrypter = undefined; // a fixed identity file works on the next attempt
        const reason = error instanceof ConfigError ? error.message.replace(/^age: /, '') : String(error);
        throw fail(reason, error);
      }
      try {
        return await ready.decrypt(ciphertext, 'text');
      } catch (error) {
        throw fail(explainFailure(error, describeKeys()), error);
      }
    },
  };
}

/** A readable reason for a failure of `age-encryption` (its messages never hold plaintext). */
function explainFailure(error: unknown, keys: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/no identity matched/i.test(message)) {
    return `no identity matched: it was encrypted for other recipients than ${keys}`;
  }
  if (/invalid header HMAC/i.test(message)) {
    return 'the header is corrupted (invalid header HMAC)';
  }
  if (/incorrect passphrase|scrypt/i.test(message) && !/work factor/.test(message)) {
    return `the passphrase does not match (${message})`;
  }
  return `the ciphertext is corrupted or not an age file (${message})`;
}
