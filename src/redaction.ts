/**
 * The `livecfg/redaction` entry point: the one set of redaction rules livecfg applies to every output
 * (CLI, inspector, history, errors), for tools that print config themselves.
 */
export {
  createRedactor,
  isSecretKey,
  type KnownSecrets,
  /** A secret value with every leaf replaced by {@link REDACTED}, its shape kept (`null`/`undefined` stay). */
  mask,
  /** `text` with every secret shape of {@link TEXT_RULES} masked (URL passwords, tokens, `Password=`…). */
  maskByRules,
  maskUrlPassword,
  REDACTED,
  type Redactor,
  type RedactorContext,
  type RedactorOptions,
  type SecretScanner,
  secretPathsOfSchema,
  /** The secret shapes masked inside every string, key and message, in the order they apply. */
  TEXT_RULES,
  type TextRule,
} from './reader/redaction/index.js';
