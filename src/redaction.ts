/**
 * The `livecfg/redaction` entry point: the one set of redaction rules livecfg applies to every output
 * (CLI, inspector, history, errors), for tools that print config themselves.
 */
export {
  createRedactor,
  isSecretKey,
  /** A secret value with every leaf replaced by {@link REDACTED}, its shape kept (`null`/`undefined` stay). */
  mask,
  maskUrlPassword,
  REDACTED,
  type Redactor,
  type RedactorOptions,
  secretPathsOfSchema,
} from './reader/redaction/index.js';
