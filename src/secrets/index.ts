/** Secret values: the age resolver and encryption helper. Public exports only. */
export { type AgeDecryptOptions, ageDecrypt } from './age.js';
export { ageEncrypt } from './encrypt.js';
export { IDENTITY_FILE_PERMISSIONS_WARNING } from './identities.js';
