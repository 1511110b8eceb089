/**
 * Redaction: one set of rules (DESIGN.md, "Redaction") for the CLI, the Config, the inspector and
 * error messages. Pure; see {@link createRedactor}.
 */
export { isSecretKey, keyWords } from './key-names.js';
export { compilePattern, coversPath, type SecretPath, type SecretPattern } from './patterns.js';
export { mask } from './redacted.js';
export {
  createRedactor,
  type KnownSecrets,
  type Redactor,
  type RedactorContext,
  type RedactorOptions,
  type Retired,
  retiredBy,
} from './redactor.js';
export { type MetaOf, secretPathsOfSchema, zodGlobalMeta } from './schema-secrets.js';
export {
  HIDDEN_MESSAGE,
  MIN_SECRET_TEXT_LENGTH,
  maskSecretText,
  type SecretScanner,
  SecretTexts,
  unionOf,
} from './secret-text.js';
export {
  findByRules,
  looksLikeToken,
  maskByRules,
  TEXT_RULES,
  type TextRule,
} from './text-rules.js';
export { maskUrlPassword, REDACTED, urlPasswords } from './url-password.js';
