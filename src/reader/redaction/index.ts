/**
 * Redaction: one set of rules (DESIGN.md, "Redaction") for the CLI, the Config, the inspector and
 * error messages. Pure; see {@link createRedactor}.
 */
export { isSecretKey, keyWords } from './key-names.js';
export { compilePattern, coversPath, type SecretPath, type SecretPattern } from './patterns.js';
export { createRedactor, mask, type Redactor, type RedactorOptions } from './redactor.js';
export { type MetaOf, secretPathsOfSchema, zodGlobalMeta } from './schema-secrets.js';
export { HIDDEN_MESSAGE, MIN_SECRET_TEXT_LENGTH, maskSecretText } from './secret-text.js';
export { maskUrlPassword, REDACTED, urlPasswords } from './url-password.js';
