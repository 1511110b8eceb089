/** `ageEncrypt()`: makes an `ENC[age,...]` value for one or more recipients (what `livecfg encrypt` prints). */
import { ConfigError } from '../reader/errors.js';
import { loadAge } from './age-module.js';
import { wrapAge } from './envelope.js';

/**
 * Encrypts a value for age recipients (`age1...`, `age1pq1...`) in age's binary format and wraps it
 * as `ENC[age,<base64>]`, the form {@link ageDecrypt} reads. Equivalent to
 * `printf %s VALUE | age -r RECIPIENT | base64 -w0`.
 *
 * @example
 * const value = await ageEncrypt('hunter2', ['age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p']);
 */
export async function ageEncrypt(
  plaintext: string | Uint8Array,
  recipients: readonly string[],
): Promise<string> {
  if (recipients.length === 0) {
    throw new ConfigError('INVALID_ARGUMENT', 'ageEncrypt(): give at least one recipient (age1...)');
  }
  const age = await loadAge();
  const encrypter = new age.Encrypter();
  for (const recipient of recipients) {
    try {
      encrypter.addRecipient(recipient.trim());
    } catch (error) {
      throw new ConfigError(
        'INVALID_ARGUMENT',
        `ageEncrypt(): ${JSON.stringify(recipient)} is not an age recipient`,
        {
          cause: error,
        },
      );
    }
  }
  return wrapAge(await encrypter.encrypt(plaintext));
}
