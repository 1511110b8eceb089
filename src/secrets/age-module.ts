/**
 * Loads the `age-encryption` package (ESM-only, an optional peer dependency) the first time a value
 * is decrypted or encrypted, so that configs without age values never pay for it.
 */
import { ConfigError } from '../reader/errors.js';

/** The part of `age-encryption` livecfg uses. */
export type AgeModule = typeof import('age-encryption');

let loading: Promise<AgeModule> | undefined;

/**
 * The `age-encryption` module, imported once. Rejects with a `SECRET` ConfigError naming the
 * missing package (and how to install it) when it is not installed; a later call tries again.
 */
export function loadAge(): Promise<AgeModule> {
  loading ??= import('age-encryption').catch((error: unknown) => {
    loading = undefined;
    throw new ConfigError(
      'SECRET',
      'age: the optional package "age-encryption" is not installed; run `npm install age-encryption` ' +
        'to use ageDecrypt() or `livecfg encrypt`',
      { cause: error },
    );
  });
  return loading;
}
