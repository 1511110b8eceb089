/**
 * The `livecfg/age` entry point: `ENC[age,…]` values decrypted by `ageDecrypt({ identityFile })` as a
 * resolver, and `ageEncrypt()` to make them. `age-encryption` is an optional peer, loaded on first use.
 */
export {
  type AgeDecryptOptions,
  ageDecrypt,
  ageEncrypt,
  IDENTITY_FILE_PERMISSIONS_WARNING,
} from './secrets/index.js';
